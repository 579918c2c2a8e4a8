"""Cheap argon2 hashers for tests: the real default costs 64 MiB and ~0.2 s a hash, which a
property test running hundreds of attempts cannot afford; the rules are the same."""

from __future__ import annotations

from argon2 import PasswordHasher

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# The same, with one more pass: a hash made by FAST "needs a rehash" under it.
STRONGER = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1)
