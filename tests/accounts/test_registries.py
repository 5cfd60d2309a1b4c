"""The registries that each app fills from its own folder: personal data and demo steps."""

from django.core.management import load_command_class
from django.utils.module_loading import autodiscover_modules

from accounts import demo, privacy


def test_every_app_with_personal_data_describes_its_part():
    assert [part.name for part in privacy.parts()] == [
        "accounts",
        "api",
        "reporting",
        "claims",
        "mentoring",
        "toolkits",
        "actionplans",
        "notifications",
    ]


def test_each_count_on_the_erasure_pages_has_one_row():
    for rows in (privacy.deleted_rows(), privacy.kept_rows()):
        keys = [row.key for row in rows]
        assert len(keys) == len(set(keys))
        positions = [row.position for row in rows]
        assert positions == sorted(set(positions))


def test_the_demo_steps_run_in_order_and_four_parts_may_be_left_out():
    autodiscover_modules("demo")
    steps = demo.steps()
    assert [step.name for step in steps] == [
        "programme",
        "schemes",
        "cities",
        "pairings",
        "people",
        "events",
        "toolkits",
        "staff-time",
        "claims",
        "plans",
        "agir-programme",
        "agir-schemes",
        "agir-cities",
        "agir-pairings",
        "agir-people",
        "agir-events",
        "agir-toolkits",
        "agir-staff-time",
        "agir-plans",
        "notifications",
    ]
    assert [step.without for step in steps if step.without] == [
        "toolkits",
        "staff-time",
        "staff-time",  # the demo claims stand on the staff time
        "plans",
        *["second-programme"] * 9,
    ]


def test_seed_demo_offers_a_without_option_per_step_that_may_be_left_out():
    help_text = load_command_class("portal", "seed_demo").create_parser("manage.py", "seed_demo")
    options = ("--without-toolkits", "--without-staff-time", "--without-plans")
    for option in (*options, "--without-second-programme"):
        assert option in help_text.format_help()
