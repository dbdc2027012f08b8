"""The word diff: whole words, paragraphs aligned first, exact round trip, accessible HTML."""

from app.documents.diff import inline_html, side_by_side_html, word_diff


def _both(ops):
    return ("".join(o.text for o in ops if o.op != "insert"), "".join(o.text for o in ops if o.op != "delete"))


def test_inserted_paragraph_is_one_insert_and_round_trips():
    old = "Erster Absatz.\n\nZweiter Absatz.\n\nDritter Absatz."
    new = "Erster Absatz.\n\nGanz neu eingefügt.\n\nZweiter Absatz.\n\nDritter Absatz."
    ops = word_diff(old, new)
    assert [o.op for o in ops] == ["equal", "insert", "equal"]
    assert ops[1].text == "Ganz neu eingefügt.\n\n"
    assert _both(ops) == (old, new)


def test_changes_are_whole_words():
    ops = word_diff("Die Stadtteile wachsen.", "Die Stadtbezirke wachsen schnell.")
    assert [(o.op, o.text) for o in ops] == [("equal", "Die"), ("delete", " Stadtteile"), ("insert", " Stadtbezirke"),
                                             ("equal", " wachsen"), ("insert", " schnell"), ("equal", ".")]


def test_long_heavily_changed_texts_round_trip():
    paragraphs = [" ".join(f"wort{i}x{j}" for j in range(120)) for i in range(30)]
    changed = [" ".join(f"wort{i}x{j}" if j % 7 else "neu" for j in range(120)) for i in range(30)]
    old, new = "\n\n".join(paragraphs), "\n\n".join(changed[:10] + ["Eingeschoben."] + changed[10:])
    assert _both(word_diff(old, new)) == (old, new)


def test_html_marks_changes_with_text_not_colour_alone_and_escapes():
    ops = word_diff("<b>alt</b>", "<b>neu</b>")
    html = inline_html(ops)
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<del><span class="visually-hidden">gelöscht: </span>alt</del>' in html
    assert '<ins><span class="visually-hidden">eingefügt: </span>neu</ins>' in html
    left, right = side_by_side_html(ops)
    assert "gelöscht:" in left and "eingefügt:" not in left and "eingefügt:" in right
