"""The catalog: checklists, profiles, scoring policies, high-risk cases, scenarios and report templates.

Pure data and validation; imports neither SQL nor UI.
"""
