"""A shared assertion for the bad-input tests: the error type and the words of its message."""
import pytest


def raises(exc, *words):
    """pytest.raises that also checks every word appears in the message."""
    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(exc)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *a):
            out = self.ctx.__exit__(*a)
            msg = str(self.info.value)
            for w in words:
                assert w in msg, f"{w!r} not in message {msg!r}"
            return out
    return Check()
