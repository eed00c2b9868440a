"""Bicycle gear ratios and development.

Gear ratio = chainring teeth / cog teeth. Development (metres travelled per pedal turn) = ratio x wheel
circumference. Written for the Ferret sample corpus; run it with `python3 gear_ratio.py`.
"""

WHEEL_CIRCUMFERENCE_M = 2.105  # a 700x25c road tyre


def gear_ratio(chainring: int, cog: int) -> float:
    """How many times the rear wheel turns for one turn of the pedals."""
    if chainring <= 0 or cog <= 0:
        raise ValueError("tooth counts must be positive")
    return chainring / cog


def development(chainring: int, cog: int, circumference: float = WHEEL_CIRCUMFERENCE_M) -> float:
    """Distance in metres covered by one full turn of the pedals."""
    return gear_ratio(chainring, cog) * circumference


def speed_kmh(chainring: int, cog: int, cadence_rpm: float) -> float:
    """Road speed at a given pedalling cadence (pedal turns per minute)."""
    return development(chainring, cog) * cadence_rpm * 60 / 1000


if __name__ == "__main__":
    for chainring in (34, 50):
        for cog in (11, 16, 28):
            print(f"{chainring}x{cog}: ratio {gear_ratio(chainring, cog):.2f}, "
                  f"{development(chainring, cog):.2f} m per turn, "
                  f"{speed_kmh(chainring, cog, 90):.1f} km/h at 90 rpm")
