"""The terminal UI (Textual). The only package that imports Textual.

``app.py`` wires the screens; ``screens/`` holds one module per screen, ``widgets/`` the reusable widgets,
``messages.py`` the app-wide messages, ``commands.py`` the command-palette provider, ``registry.py`` the list
of screens other features plug in. Work that touches the disk runs in thread workers (``workers.py``).
"""
