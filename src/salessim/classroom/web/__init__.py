"""The classroom's web app: Starlette pages for teams, the instructor and the projector.

:func:`salessim.classroom.web.app.serve` runs it. :mod:`.joining`, :mod:`.team` and
:mod:`.staff` are the pages, :mod:`.site` what they share; :mod:`.security` says who
may do what, :mod:`.live` keeps the round timer and the event streams, :mod:`.forms`
reads the decision form and :mod:`.views` words what the pages show.
"""
