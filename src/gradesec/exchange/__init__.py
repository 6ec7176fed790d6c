"""Bundles: signed, streaming hand-over files carrying events, checkpoints and evidence between stores.

See ``gradesec.exchange.format`` for the layout, ``export`` for writing, ``reader`` for verifying and
``importer`` for importing.
"""

from __future__ import annotations

from gradesec.exchange.export import ExportResult, export_bundle, find_checkpoint
from gradesec.exchange.format import FORMAT, SUFFIX, VERSION, BundleRefused, Manifest
from gradesec.exchange.importer import ImportResult, VerifiedBundle, import_bundle, read_bundle

__all__ = [
    "FORMAT",
    "SUFFIX",
    "VERSION",
    "BundleRefused",
    "ExportResult",
    "ImportResult",
    "Manifest",
    "VerifiedBundle",
    "export_bundle",
    "find_checkpoint",
    "import_bundle",
    "read_bundle",
]
