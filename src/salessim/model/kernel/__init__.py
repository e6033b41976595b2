"""The event kernel: how the model puts work on SimPy's clock without a process per lead.

``schedule`` sets a callback on a timeout (the one way model code waits); ``deadlines``
keeps the patience deadlines of queued work in day buckets; ``agenda`` keeps far-future
account events at 12 bytes each. See docs/model.md, "The event kernel".
"""
