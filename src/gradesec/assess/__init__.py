"""The assessment domain: what is inspected, findings, issues and their risk, scores and conclusions.

Pure logic on plain dataclasses; imports neither SQL nor UI. The use cases in ``gradesec.usecases`` load the
state, call these functions and write events.
"""
