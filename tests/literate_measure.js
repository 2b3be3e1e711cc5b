// The literate-book metrics of one chapter page (tests/test_browser_literate.py), evaluated by
// the browser tour of tests/test_browser.py on every chapter at both widths.
() => {
  const article = document.querySelector('article') || document.body;
  const cells = Array.from(article.querySelectorAll('div.cell'));
  const hasOutput = c => {
    const out = c.querySelector('.cell_output');
    return !!out && (out.innerText.trim().length > 0 || out.querySelector('img, svg, table') !== null);
  };
  const showsCode = c => c.querySelector('.cell_input') !== null;
  const isParam = c => c.classList.contains('tag_parameters');
  const toggled = c => c.classList.contains('tag_hide-input');
  const analysis = cells.filter(c => !isParam(c) && showsCode(c));
  const results = cells.filter(c => !isParam(c) && (hasOutput(c) || toggled(c)));
  const resultsShown = results.filter(showsCode);
  const identifier = /^[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+$/;
  const tables = Array.from(article.querySelectorAll('table')).filter(t => {
    const cell = t.closest('div.cell');
    return !(cell && showsCode(cell));
  });
  const scroller = t => {
    for (let e = t.parentElement; e && e !== article; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') return e;
    }
    return null;
  };
  const articleRight = article.getBoundingClientRect().right;
  let overflowing = 0, overflowingNoCue = 0, numbered = 0, labels = 0, codeLabels = 0;
  const bad = [];
  for (const t of tables) {
    const box = scroller(t);
    const wide = box ? t.scrollWidth > box.clientWidth + 1 : t.getBoundingClientRect().right > articleRight + 1;
    const cue = !!box && /gradient/.test(getComputedStyle(box).backgroundImage);
    if (wide) { overflowing += 1; if (!cue) overflowingNoCue += 1; }
    const cap = t.querySelector('caption .caption-number');
    if (cap && /Table\s+\d/.test(cap.textContent)) numbered += 1;
    const texts = [];
    t.querySelectorAll('thead th').forEach(th => texts.push(th));
    t.querySelectorAll('tbody tr').forEach(tr => { const c = tr.querySelector('th, td'); if (c) texts.push(c); });
    for (const c of texts) {
      const text = c.textContent.trim();
      if (!text) continue;
      labels += 1;
      const literal = c.querySelector('code') !== null;
      if (!literal && identifier.test(text)) { codeLabels += 1; if (bad.length < 5) bad.push(text); }
    }
  }
  return {
    height: document.documentElement.scrollHeight,
    analysis: analysis.length, results: results.length, resultsShown: resultsShown.length,
    tables: tables.length, overflowing, overflowingNoCue, numbered, labels, codeLabels, bad,
  };
}
