"""A worker process warms up as it starts (config/celery_app.py, documents.pdf.warm_up), so that
a person's first report does not pay for WeasyPrint's and the templates' first use."""

import logging
import sys

from celery.signals import worker_process_init
from django.template import engines

from config.celery_app import warm_up as worker_warm_up
from documents import pdf


def _cached_loader():
    loader = engines["django"].engine.template_loaders[0]
    assert hasattr(loader, "get_template_cache"), "templates are expected to be cached"
    return loader


def test_pdf_templates_are_those_that_make_pdfs():
    names = pdf.pdf_templates()
    assert "documents/base_pdf.html" in names
    assert "reporting/pdf/staff_cost_report.html" in names
    assert "actionplans/overview/pdf.html" in names
    assert "claims/pdf/certificate.html" in names
    assert "base.html" not in names
    assert all(".html" in name and "pdf" in name for name in names)


def test_warm_up_compiles_the_pdf_templates_and_lays_out_a_pdf(monkeypatch):
    loader = _cached_loader()
    loader.reset()
    laid_out = []
    real = pdf.render_part
    monkeypatch.setattr(pdf, "render_part", lambda html: laid_out.append(real(html)) or b"")
    pdf.warm_up()
    assert "reporting/pdf/staff_cost_report.html" in loader.get_template_cache
    assert "claims/pdf/claim.html" in loader.get_template_cache
    assert "weasyprint" in sys.modules
    assert "pikepdf" in sys.modules
    [content] = laid_out
    assert content.startswith(b"%PDF")
    assert pdf.part_pages(content) == 1


def test_each_worker_process_warms_up_as_it_starts(monkeypatch):
    receivers = [receiver() for _key, receiver in worker_process_init.receivers]
    assert worker_warm_up in receivers
    called = []
    monkeypatch.setattr(pdf, "warm_up", lambda: called.append(True))
    worker_process_init.send(sender=None)
    assert called == [True]


def test_a_failed_warm_up_is_logged_and_does_not_stop_the_worker(monkeypatch, caplog):
    def broken():
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "warm_up", broken)
    with caplog.at_level(logging.ERROR, logger="config.celery_app"):
        worker_warm_up()
    assert "could not warm up" in caplog.text
    assert "no fonts" in caplog.text
