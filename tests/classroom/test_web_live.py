"""The live parts: the classroom's lane, the round timer and the event streams' hub."""

from __future__ import annotations

import asyncio
import threading

from salessim.classroom.web.live import Hub, Lane, keep_time, stream


def test_the_lane_runs_calls_one_at_a_time_in_one_thread_off_the_event_loop():
    """Calls run in order in one thread that is not the loop's, never two at once."""
    lane = Lane()
    running, seen, threads = [0], [], set()

    def work(n):
        running[0] += 1
        assert running[0] == 1, "two calls at once"
        threads.add(threading.get_ident())
        seen.append(n)
        running[0] -= 1
        return n * 2

    async def main():
        return await asyncio.gather(*(lane(work, n) for n in range(20)))

    try:
        assert asyncio.run(main()) == [n * 2 for n in range(20)]
    finally:
        lane.close()
    assert seen == list(range(20))
    assert len(threads) == 1 and threading.get_ident() not in threads


def test_the_timer_keeps_ticking_after_a_failing_tick():
    """A tick that raises is logged; the timer ticks again on time."""
    calls = []

    async def tick():
        calls.append(len(calls))
        if len(calls) == 2:
            raise RuntimeError("a bad tick")

    async def main():
        task = asyncio.create_task(keep_time(tick, every_seconds=0.01))
        while len(calls) < 5:
            await asyncio.sleep(0.005)
        task.cancel()

    asyncio.run(asyncio.wait_for(main(), 5))
    assert len(calls) >= 5


def test_a_stream_says_changed_at_once_and_whenever_the_version_moves():
    """The stream opens with the version, says each move once, and keeps alive between."""
    version = [7]

    async def read():
        return version[0]

    async def until(condition):
        while not condition():
            await asyncio.sleep(0.005)

    async def main():
        hub = Hub(read, every_seconds=0.01)
        poller = asyncio.create_task(hub.run())
        said = []

        async def listen():
            async for event in stream(hub, lifetime_seconds=60, heartbeat_seconds=0.03):
                said.append(event)

        listener = asyncio.create_task(listen())
        await until(lambda: "event: changed\ndata: 7\n\n" in said)
        await until(lambda: ": still here\n\n" in said)
        for moved in (8, 9):
            version[0] = moved
            await until(lambda: f"event: changed\ndata: {version[0]}\n\n" in said)
        hub.close()
        await listener
        poller.cancel()
        return said

    said = asyncio.run(asyncio.wait_for(main(), 20))
    changes = [event for event in said if event.startswith("event: changed")]
    assert said[0].startswith("retry: ")
    assert changes == [
        "event: changed\ndata: 7\n\n",
        "event: changed\ndata: 8\n\n",
        "event: changed\ndata: 9\n\n",
    ]


def test_a_stream_ends_when_its_lifetime_is_up():
    """After its lifetime the stream ends by itself (the browser reconnects)."""

    async def read():
        return 1

    async def main():
        hub = Hub(read)
        await hub.poll()
        return [event async for event in stream(hub, lifetime_seconds=0.05, heartbeat_seconds=10)]

    said = asyncio.run(asyncio.wait_for(main(), 20))
    assert said == ["retry: 2000\n\n", "event: changed\ndata: 1\n\n"]


def test_closing_the_hub_ends_every_stream():
    """When the server stops, open streams end instead of holding it up."""

    async def read():
        return 1

    async def main():
        hub = Hub(read, every_seconds=0.01)
        await hub.poll()
        events = []

        async def listen():
            async for event in stream(hub, lifetime_seconds=60, heartbeat_seconds=60):
                events.append(event)

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.05)
        hub.close()
        await asyncio.wait_for(listener, 2)
        return events

    assert asyncio.run(main())[-1] == "event: changed\ndata: 1\n\n"
