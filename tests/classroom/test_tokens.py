from salessim.classroom.tokens import hashed, new_token, same


def test_tokens_are_long_random_and_url_safe():
    """Each token is new, at least 32 characters, and needs no escaping in a URL."""
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) >= 32 for token in tokens)
    assert all(set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
               for token in tokens)  # fmt: skip


def test_a_hash_is_sha256_hex_and_does_not_hold_the_token():
    """The stored form is 64 hex digits, the same for the same token, never the token."""
    token = new_token()
    assert hashed(token) == hashed(token)
    assert len(hashed(token)) == 64 and set(hashed(token)) <= set("0123456789abcdef")
    assert token not in hashed(token)
    assert hashed(token) != hashed(token + "x")


def test_same_compares_exactly():
    """``same`` is true for equal strings only, non-ASCII included."""
    assert same("abc", "abc")
    assert not same("abc", "abd")
    assert not same("abc", "abcd")
    assert same("é\ud800", "é\ud800")  # odd text from a URL does not crash the comparison
