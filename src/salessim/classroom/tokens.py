"""The secrets that let a team or the instructor in: made by ``secrets``, stored only hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 32 URL-safe characters: far beyond guessing


def new_token() -> str:
    """A fresh random token, safe in a URL."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hashed(token: str) -> str:
    """The token's sha256, in hex: what the store keeps instead of the token."""
    return hashlib.sha256(_bytes(token)).hexdigest()


def same(a: str, b: str) -> bool:
    """Whether two secrets (or their hashes) are equal, in time that does not tell how close."""
    return hmac.compare_digest(_bytes(a), _bytes(b))


def _bytes(text: str) -> bytes:
    """Any text as bytes, lone surrogates (from a hostile URL) included."""
    return text.encode("utf-8", "surrogatepass")
