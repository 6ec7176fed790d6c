"""The city's quarterly evaluation report (``gradesec hub report``): one content model, three formats."""
