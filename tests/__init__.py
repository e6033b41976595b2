"""The test suite: one folder per package of ``src/salessim``, cross-cutting checks at the top."""
