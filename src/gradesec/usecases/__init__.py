"""Use cases: the one façade the CLI, the TUI, reports and demos call.

Each function validates its input against the current state, then appends signed events in one
transaction; reads return domain objects (``gradesec.assess.model``) and read models (``views``).
"""
