"""One module per screen. Feature screens register in ``gradesec.tui.registry.SCREENS``."""
