"""Every claim the PDFs print holds, recomputed in this process from a fresh run of its generator.

This is the test the extended edition's appendix names for each claim:
``tests/generator/test_claims.py::test_claim[<claim name>]``.  The check is
the claim's own (a comparison with an independent reference); what this test
adds is that the value comes from the code as it is now, without the build's
cache, and that each printed text is the one this value gives.
"""

from __future__ import annotations

import pytest


def test_claim(claim):
    if hasattr(claim, "summary"):  # conftest's stand-in for a generator that raised
        pytest.fail(f"the generator of problem {claim.problem} raised {claim.summary}")
    assert claim.check.holds(claim.value), (
        f"{claim.name} = {claim.value!r} violates '{claim.check.text}' ({claim.source})"
    )


def test_every_problem_has_claims(ledgers):
    assert {led.problem for led in ledgers} == {1, 2, 3, 4}
    for led in ledgers:
        assert len(led.claims) >= 4, f"problem {led.problem} has fewer than 4 claims"

