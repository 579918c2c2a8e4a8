"""Browser tests of the real Prefect UI. A package, so that pytest ends its package-scoped
browser and servers when its tests are done: without __init__.py "package" scope lasts the
session, and Playwright's sync API keeps an asyncio loop running on the main thread, which
turns every later Prefect call async (State.result() returning a coroutine)."""
