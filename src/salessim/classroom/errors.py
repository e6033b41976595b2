"""The classroom's polite refusal, shared by the store and the facade."""

from __future__ import annotations


class RefusedError(ValueError):
    """A polite refusal: the round is closed, the game is over, the draft does not apply.

    ``problems`` lists what is wrong with decisions that were refused (else it is empty).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])
