"""Tests for kg.ingest.furniture: page furniture removed by context rules, the article kept whole."""

from __future__ import annotations

import json

from kg.ingest import article_from_html, article_from_text
from kg.ingest.dates import labelled_date
from kg.ingest.furniture import looks_like_prose, strip_page_furniture, without_site_suffix
from kg.ingest.json_records import record_from_json_text

BODY = [
    "The city council of Northport approved a new tram line on Tuesday after a long debate.",
    "Work on the six-kilometre line is due to start next spring, the mayor said.",
]


def page(*lines: str, title: str = "Northport approves tram line") -> str:
    """Clean one page given as JSON Lines would hold it; return the article's text."""
    record = json.dumps({"id": "p", "title": title, "text": "\n\n".join(lines)})
    return record_from_json_text(record, "mem", default_id="p").text


def test_site_chrome_lines_are_dropped():
    text = page("Accessibility links", "Breaking News", "Jump to: navigation, search", "Checked", *BODY, "XS", "LG")
    assert text == "\n\n".join(BODY)


def test_a_wiki_sources_section_ends_the_body():
    text = page(*BODY, "== Sources ==", 'Ana Ruiz. "Tram vote in Northport" — Example Post, May 2, 2021')
    assert text == "\n\n".join(BODY)


def test_a_related_news_list_after_the_body_goes_with_its_heading():
    text = page(*BODY, "Related news", "Northport buses to run all night", "See also: the 2019 tram plan")
    assert "buses" not in text and "Related" not in text and text.endswith("the mayor said.")


def test_a_trailer_heading_before_any_prose_drops_only_itself():
    text = page("Related articles", *BODY)
    assert text == "\n\n".join(BODY)


def test_a_trailer_longer_than_the_body_is_not_cut():
    long_tail = ["Local rail fares rise by two percent this winter across the whole region."] * 3
    paragraphs = strip_page_furniture([BODY[0], "See also", *[f"{p} ({i})" for i, p in enumerate(long_tail)]])
    assert len(paragraphs) == 4 and "See also" not in paragraphs


def test_a_bullet_sidebar_of_headlines_is_dropped_but_a_sentence_list_is_kept():
    sidebar = ["  • 3 May 2021: Harbour bridge closes for repairs", "  • Mayor opens new library in Eastside"]
    kept = ["• Fares will stay the same for two years.", "• Trams will run every six minutes at peak times."]
    text = page(*sidebar, BODY[0], *kept, BODY[1])
    assert "Harbour" not in text and "library" not in text
    assert "Fares will stay the same" in text and "every six minutes" in text


def test_summary_bullets_repeating_the_body_are_dropped():
    text = page("• Northport council approved a new tram line", *BODY)
    assert text == "\n\n".join(BODY)


def test_headline_copies_with_a_site_name_or_brackets_leave_the_lead():
    text = page(
        "Northport approves tram line – Example News, the daily paper",
        "[<< mirror] Northport approves tram line",
        "2021年新闻-Northport approves tram li(在线) |",
        *BODY,
    )
    assert text == "\n\n".join(BODY)


def test_short_lines_before_the_first_and_after_the_last_prose_paragraph_go():
    text = page("Example Wiki en", "Location of Northport", *BODY, "WATCH: Riding the first tram", "Tram line opens")
    assert text == "\n\n".join(BODY)


def test_a_lead_sentence_and_a_dateline_are_kept():
    paragraphs = strip_page_furniture(["NORTHPORT —", "It rained.", *BODY])
    assert paragraphs == ["NORTHPORT —", "It rained.", *BODY]


def test_media_widget_ends_the_body_and_takes_the_publisher_blurb_with_it():
    blurb = "Example Radio brings news in twelve languages to many millions of listeners every week."
    widget = ["please wait", "No media source currently available", "0:00 0:02:10 0:00", "Example Radio"]
    text = page(*BODY, *widget, blurb)
    assert text == "\n\n".join(BODY)


def test_credits_captions_and_licence_tags_are_dropped():
    text = page(
        "Trams at the depot in Northport. Photo by Ana Ruiz. (CC BY-SA 2.0)",
        "FILE - A tram waits at a stop in a city centre.",
        "This report was researched and written by Ana Ruiz and Tom Lee.",
        *BODY,
        "(Reporting by Ana Ruiz; Editing by Tom Lee)",
        "Compiled from agency reports.",
        "Print | E-mail",
        "Get the best local stories delivered to your inbox every morning.",
    )
    assert text == "\n\n".join(BODY)


def test_inline_byline_and_dash_rule_split_from_the_first_sentence():
    text = page(f"By Ana Ruiz {BODY[0]} ------------------ {BODY[1]}")
    assert text == "\n\n".join(BODY)


def test_a_sentence_starting_with_by_and_a_weekday_is_kept():
    line = "By Tuesday Morning Northport had counted every vote in the tram referendum."
    assert page(line, *BODY).startswith(line)


def test_agency_byline_and_inline_reporting_credit_go():
    text = page("By Ana Ruiz, dpa", BODY[0] + " (Reporting by Tom Lee)", BODY[1])
    assert text == "\n\n".join(BODY)


def test_headline_site_suffixes_are_removed():
    assert without_site_suffix("Chip prices fall again | ZDNet") == "Chip prices fall again"
    assert without_site_suffix("Startup raises seed round – TechCrunch") == "Startup raises seed round"
    assert without_site_suffix("Harbour reopens - Example Post") == "Harbour reopens"
    assert without_site_suffix("Ferry sails – Seaside", "https://www.seaside.example/a") == "Ferry sails"
    assert without_site_suffix("Rates rise - and stay high") == "Rates rise - and stay high"
    assert without_site_suffix("Vote ends — Mayor Wins Again") == "Vote ends — Mayor Wins Again"


def test_text_title_loses_its_site_suffix():
    article = article_from_text("Northport approves tram line | Example News\n\n" + "\n\n".join(BODY), source="m")
    assert article.title == "Northport approves tram line"


def test_dates_after_a_label_inside_a_line():
    assert labelled_date(["Ana Ruiz | Published: November 5, 2016, 3:20pm", "x"]) == ("2016-11-05", ["x"])
    assert labelled_date(["UPDATED: Tue., Nov. 19, 2019", "x"])[0] == "2019-11-19"
    assert labelled_date(["Posted 6:05 PM ET Wed, 4 Mar 2020 by the desk"])[0] == "2020-03-04"
    article = article_from_text("Tram vote\n\nBy Ana Ruiz · UPDATED: Tue., Nov. 19, 2019\n\n" + BODY[0], source="m")
    assert article.date == "2019-11-19" and "UPDATED" not in article.text


def test_prose_in_a_script_without_spaces():
    assert looks_like_prose("北港市议会周二批准了一条新的有轨电车线路，工程将于明年春天开始。")
    assert not looks_like_prose("北港市电车")


def test_a_page_in_another_language_is_read_not_refused():
    html = (
        "<html><head><title>北港批准电车线路</title></head><body><article>"
        "<p>北港市议会周二批准了一条新的有轨电车线路，工程将于明年春天开始。</p>"
        "<p>市长表示，新线路长六公里，每六分钟一班，票价两年内保持不变。</p>"
        "</article></body></html>"
    )
    article = article_from_html(html, source="m")
    assert "有轨电车" in article.text


def test_map_and_marker_captions_are_dropped():
    text = page("Map showing the route of the new tram line.", *BODY, "The red dot marks the depot in Northport.")
    assert text == "\n\n".join(BODY)


def test_a_sentence_about_a_map_is_kept():
    sentence = "The council published a map showing the route of the tram line on Tuesday, and residents welcomed it."
    assert sentence in page(*BODY, sentence)
