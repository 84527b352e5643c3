import signal

import pytest

from foyer.devstack import Exited, Failure, RestartPolicy
from foyer.devstack._supervise import Supervisor, describe_status


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def supervisor(clock: Clock, log: list[tuple[str, str]]) -> Supervisor:
    return Supervisor(
        RestartPolicy(),
        restartable=["router-worker", "gateway"],
        log=lambda name, line: log.append((name, line)),
        clock=clock,
    )


def test_backoff_doubles_from_half_a_second_to_ten() -> None:
    policy = RestartPolicy()

    assert [policy.delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]


def test_a_crash_is_restarted_after_the_delay_and_logged(
    supervisor: Supervisor, clock: Clock, log: list[tuple[str, str]]
) -> None:
    assert supervisor.crashed(Exited("gateway", -signal.SIGKILL)) is None

    assert log == [
        (
            "gateway",
            "foyer up: gateway exited with status -9 (SIGKILL); restarting it in 0.5 s "
            "(crash 1 in 60 s; 5 stop the stack)",
        )
    ]
    assert supervisor.seconds_to_next() == 0.5
    clock.now += 0.4
    assert supervisor.due() == []
    clock.now += 0.1
    assert supervisor.due() == ["gateway"]
    assert supervisor.due() == []
    assert supervisor.seconds_to_next() is None


def test_the_fifth_crash_within_a_minute_is_a_crash_loop(
    supervisor: Supervisor, clock: Clock
) -> None:
    delays = []
    for _ in range(4):
        assert supervisor.crashed(Exited("router-worker", 1)) is None
        delays.append(supervisor.seconds_to_next())
        clock.now += supervisor.seconds_to_next() or 0
        assert supervisor.due() == ["router-worker"]
        clock.now += 3  # it runs a little, then crashes again

    failure = supervisor.crashed(Exited("router-worker", 1))

    assert delays == [0.5, 1, 2, 4]
    assert failure == Failure(
        "router-worker", 1, "router-worker crashed 5 times in 60 s (last exit status 1)"
    )
    assert supervisor.seconds_to_next() is None


def test_crashes_older_than_the_window_are_forgotten(supervisor: Supervisor, clock: Clock) -> None:
    for _ in range(4):
        assert supervisor.crashed(Exited("gateway", 1)) is None
        clock.now += 20
        supervisor.due()

    # Crashes at 0, 20, 40, 60 s: at 80 s the first two are more than 60 s old.
    assert supervisor.crashed(Exited("gateway", 1)) is None
    assert supervisor.seconds_to_next() == 2


def test_components_are_counted_apart(supervisor: Supervisor) -> None:
    for _ in range(4):
        assert supervisor.crashed(Exited("gateway", 1)) is None
    assert supervisor.crashed(Exited("router-worker", 1)) is None


def test_infrastructure_is_not_restarted(supervisor: Supervisor, log: list[object]) -> None:
    assert supervisor.crashed(Exited("temporal", -signal.SIGKILL)) == Failure(
        "temporal", -9, "temporal exited unexpectedly with status -9 (SIGKILL)"
    )
    assert log == []
    assert supervisor.seconds_to_next() is None


def test_without_a_policy_every_crash_stops_the_stack(clock: Clock) -> None:
    supervisor = Supervisor(None, restartable=["gateway"], log=lambda *_: None, clock=clock)

    assert supervisor.crashed(Exited("gateway", 3)) == Failure(
        "gateway", 3, "gateway exited unexpectedly with status 3"
    )


def test_a_pending_restart_can_be_cancelled(supervisor: Supervisor, clock: Clock) -> None:
    supervisor.crashed(Exited("gateway", 1))

    supervisor.cancel("gateway")

    clock.now += 10
    assert supervisor.due() == []


def test_due_restarts_come_in_order(supervisor: Supervisor, clock: Clock) -> None:
    supervisor.crashed(Exited("gateway", 1))
    supervisor.crashed(Exited("gateway", 1))  # second crash: 1 s
    clock.now += 0.2
    supervisor.crashed(Exited("router-worker", 1))  # 0.5 s, due before the gateway

    clock.now += 5
    assert supervisor.due() == ["router-worker", "gateway"]


@pytest.mark.parametrize(
    ("returncode", "text"),
    [(1, "status 1"), (0, "status 0"), (-15, "status -15 (SIGTERM)"), (-200, "status -200")],
)
def test_describe_status(returncode: int, text: str) -> None:
    assert describe_status(returncode) == text
