"""Pre-flight checks: pure functions from a post (plain dataclasses) to findings.

Nothing here touches the ORM, the database, the network or Django settings; messages go
through ``gettext`` so they come out in the caller's active language. Entry point:
:func:`pregonero.checks.engine.run_checks`.
"""
