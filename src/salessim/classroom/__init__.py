"""The classroom: an instructor runs one exercise for a class of teams, a round at a time.

:class:`salessim.classroom.room.Classroom` is the facade the web app and the command line
use; the store (SQLite), the turn runner (the teams' live games in worker processes),
the bots, the leaderboard and the export sit behind it. :mod:`salessim.classroom.debrief`
puts every team's game side by side after the last round.
"""
