"""Ticket commands: ticket_bulk (being written)."""
