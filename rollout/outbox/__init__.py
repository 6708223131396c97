"""The outbox: delivery over SMTP with retries (delivery), what is waiting or failed (views), who hears what (recipients).

The table itself is rollout.notify, where every package queues its messages.
"""
