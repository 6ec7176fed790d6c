"""The office's city dashboard (``gradesec hub dashboard``): a Textual app over ``hub.city`` snapshots."""
