"""Daily snapshots of the survey indicators taken before the anonymity rule held every answer
(metrics/anonymity.py): a day-by-day series of raw averages would let HR isolate one answer
by comparing two days, so they are deleted. New snapshots are taken from released answers."""

from django.db import migrations

SURVEY_CODES = ["average_satisfaction", "recommendation_score", "skill_growth", "development_impact"]


def drop(apps, schema_editor):
    apps.get_model("metrics", "IndicatorSnapshot").objects.filter(
        indicator__in=SURVEY_CODES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_add_surveys_indicators_feedback_stories")]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
