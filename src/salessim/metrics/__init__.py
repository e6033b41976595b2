"""Events the model emits, recorders that listen, and KPIs computed from the record."""
