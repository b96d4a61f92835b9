"""The cover set of a policy year is stored once (``CoverTerm``); a policy keeps rows only for its unit covers.

Existing policies: each county-year's terms are read from its policies' cover rows (a household cover's
premium; a unit cover's premium per unit), then the household covers' per-policy rows are removed — they say
nothing the terms do not. Backwards puts them back from the terms."""

import django.db.models.deletion
from django.db import migrations, models


def terms_from_rows(apps, schema_editor):
    PolicyCover = apps.get_model("insurance", "PolicyCover")
    CoverTerm = apps.get_model("insurance", "CoverTerm")
    seen = set()
    terms = []
    rows = PolicyCover.objects.values_list(
        "policy__county", "policy__year", "cover_id", "cover__basis", "units", "premium_fen", "sum_insured_fen"
    ).order_by("policy__county", "policy__year", "cover_id", "id")
    for county, year, cover, basis, units, premium, sum_insured in rows.iterator():
        if (county, year, cover) in seen:
            continue
        seen.add((county, year, cover))
        per_unit = premium if basis == "household" else int(premium / units)
        terms.append(CoverTerm(county=county, year=year, cover_id=cover, premium_fen=per_unit,
                               sum_insured_fen=sum_insured))
    CoverTerm.objects.bulk_create(terms, batch_size=1000)
    PolicyCover.objects.filter(cover__basis="household").delete()


def rows_from_terms(apps, schema_editor):
    Policy = apps.get_model("insurance", "Policy")
    PolicyCover = apps.get_model("insurance", "PolicyCover")
    CoverTerm = apps.get_model("insurance", "CoverTerm")
    for term in CoverTerm.objects.filter(cover__basis="household").iterator():
        PolicyCover.objects.bulk_create(
            [
                PolicyCover(policy_id=pk, cover_id=term.cover_id, units=1, premium_fen=term.premium_fen,
                            sum_insured_fen=term.sum_insured_fen)
                for pk in Policy.objects.filter(county=term.county, year=term.year).values_list("pk", flat=True)
            ],
            batch_size=5000,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('insurance', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='CoverTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('county', models.CharField(max_length=6, verbose_name='县（区）代码')),
                ('year', models.PositiveSmallIntegerField(verbose_name='保险年度')),
                ('premium_fen', models.BigIntegerField(verbose_name='保费（分，每户或每单位）')),
                ('sum_insured_fen', models.BigIntegerField(verbose_name='每单位保险金额（分）')),
                ('cover', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='insurance.cover', verbose_name='险种')),
            ],
            options={
                'verbose_name': '年度险种条款',
                'verbose_name_plural': '年度险种条款',
                'ordering': ['county', 'year', 'cover__order'],
                'constraints': [models.UniqueConstraint(fields=('county', 'year', 'cover'), name='coverterm_county_year_cover')],
            },
        ),
        migrations.RunPython(terms_from_rows, rows_from_terms),
    ]
