"""The organisation's own news page and feeds, served by Pregonero (no outside network)."""
