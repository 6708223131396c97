"""Ticket commands: ticket_lifecycle (being written)."""
