"""The city hub: a central PostgreSQL database that ingests verified bundles and keeps the city's projections.

Only this package imports psycopg.
"""
