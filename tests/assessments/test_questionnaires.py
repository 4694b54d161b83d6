import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assessments import questionnaire_files
from assessments.models import Question, QuestionnaireVersion
from assessments.services import questionnaire_export, questionnaire_import
from tests.assessments.factories import DEFAULT, SMALL

pytestmark = pytest.mark.django_db


def _problems(text):
    with pytest.raises(questionnaire_files.QuestionnaireFileError) as caught:
        questionnaire_files.load(text)
    return caught.value.problems


def test_loading_the_same_file_twice_changes_nothing_and_a_change_is_the_next_version():
    first, created = questionnaire_import(data=SMALL.read_bytes())
    assert created
    assert first.number == 1
    again, created = questionnaire_import(data=SMALL.read_bytes())
    assert not created
    assert again.id == first.id
    changed = SMALL.read_text().replace("Are objectives linked?", "Are goals linked?")
    second, created = questionnaire_import(data=changed)
    assert created
    assert second.number == 2
    assert first.questions.get(key="q1").text == "Are objectives linked?"  # v1 is frozen


def test_a_question_may_offer_only_some_levels():
    version, _ = questionnaire_import(data=SMALL.read_bytes())
    assert list(Question.objects.get(version=version, key="q2").levels) == ["1", "3", "5", "7"]
    assert Question.objects.get(version=version, key="q2").weight == 1.5


def test_export_round_trips_to_identical_content():
    version, _ = questionnaire_import(data=SMALL.read_bytes())
    exported = questionnaire_export(version=version)
    assert questionnaire_files.load(exported) == version.content
    assert yaml.safe_load(exported)["dimensions"][0]["questions"][1]["levels"][3] == "Informal"
    assert questionnaire_import(data=exported) == (version, False)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("weight: 2", "weight: 0"), "dimensions[0].weight: must be > 0"),
        (('weight: "1.5"', "weight: -1"), "dimensions[0].questions[1].weight: must be > 0"),
        (("key: q3", "key: q1"), "dimensions[1].questions[0].key: 'q1' is already used by"),
        (("key: channels", "key: strategy"), "dimensions[1].key: 'strategy' is already used"),
        (("channel: email", "channel: fax"), "dimensions[1].questions[0].channel: must be empty"),
        (
            ('{1: "No", 7: "Fully"}', '{1: "No", 8: "Fully"}'),
            "dimensions[1].questions[0].levels.8: must be a level",
        ),
        (
            ('{1: "No", 7: "Fully"}', '{1: "No"}'),
            "dimensions[1].questions[0].levels.7: must be described",
        ),
        (("text: Is there a sponsor?", "text: ''"), "dimensions[0].questions[1].text: is required"),
    ],
)
def test_every_broken_rule_is_reported_with_its_path(edit, problem):
    text = SMALL.read_text().replace(*edit, 1)
    assert any(p.startswith(problem) for p in _problems(text)), _problems(text)


def test_all_problems_are_reported_at_once_and_nothing_is_saved():
    text = (
        SMALL.read_text()
        .replace("weight: 2", "weight: 0")
        .replace("channel: email", "channel: fax")
    )
    with pytest.raises(ValidationError) as caught:
        questionnaire_import(data=text)
    assert len(caught.value.message_dict["file"]) == 2
    assert not QuestionnaireVersion.objects.exists()


def test_malformed_yaml_and_duplicate_mapping_keys_are_refused():
    assert "not valid YAML" in _problems("key: [unclosed")[0]
    duplicated = SMALL.read_text().replace(
        "title: Strategy\n", "title: Strategy\n    title: Again\n"
    )
    assert "duplicate key 'title'" in _problems(duplicated)[0]
    assert "must be a mapping" in _problems("- just\n- a list\n")[0]


def test_json_is_accepted():
    import json

    data = yaml.safe_load(SMALL.read_text())
    version, created = questionnaire_import(data=json.dumps(data))
    assert created
    assert version.questions.count() == 3


def test_load_command_reports_problems_and_saves_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("weight: 2", "weight: 0"))
    with pytest.raises(CommandError, match=r"dimensions\[0\]\.weight: must be > 0"):
        call_command("load_questionnaire", str(bad))
    assert not QuestionnaireVersion.objects.exists()


def test_load_and_export_commands_round_trip(tmp_path, capsys):
    call_command("load_questionnaire", str(SMALL))
    assert "Loaded small-model version 1" in capsys.readouterr().out
    out = tmp_path / "out.yaml"
    call_command("export_questionnaire", "small-model", "--version", "1", "-o", str(out))
    call_command("load_questionnaire", str(out))
    assert "nothing changed" in capsys.readouterr().out


def test_default_questionnaire_covers_the_seven_dimensions_and_every_channel():
    version, _ = questionnaire_import(data=DEFAULT.read_bytes())
    keys = list(version.dimensions.order_by("position").values_list("key", flat=True))
    assert keys == [
        "strategy",
        "customer_data",
        "content_personalisation",
        "channels",
        "testing_optimisation",
        "measurement",
        "organisation",
    ]
    assert version.questions.count() >= 32
    for dimension in version.dimensions.all():
        assert dimension.questions.count() >= 4, dimension.key
        assert sorted(dimension.guidance, key=int) == ["2", "3", "4", "5", "6", "7"]
    for question in version.questions.all():
        assert list(question.levels) == [str(n) for n in range(1, 8)], question.key
    channels = set(
        version.questions.filter(dimension__key="channels").values_list("channel", flat=True)
    )
    assert {"web", "email", "mobile", "social", "contact_centre", "in_store"} <= channels
