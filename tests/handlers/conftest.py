"""Handler tests: the real Application, fed updates with `process_update`, offline.

The ``app`` fixture lives in ``tests/conftest.py``, shared with every journey's tests.
"""
