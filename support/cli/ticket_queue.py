"""Ticket commands: ticket_queue (being written)."""
