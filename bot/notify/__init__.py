"""Getting messages out: the scheduler's ticks, the outbox sender, pacing."""
