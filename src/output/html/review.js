// The review page's script: filters, keyboard navigation, editing, edits
// kept in localStorage, and the export as XLIFF 2.0. Every text goes in
// with textContent or a form control's value, never as HTML.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($('data').textContent);
  const doc = data.doc;
  const units = data.units;
  const byId = new Map();
  units.forEach((u, i) => { u.i = i; byId.set(u.id, u); });
  const key = 'bitext-review:' + doc.id;
  const rows = new Array(units.length);
  const rowOf = (u) => rows[u.i] || (rows[u.i] = $('s' + u.id));
  const unitOf = (row) => row && byId.get(Number(row.id.slice(1)));

  // ------------------------------------------------------------ edits
  let edits = Object.create(null);
  function loadEdits() {
    let stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { stored = null; }
    if (!stored || typeof stored.edits !== 'object' || stored.edits === null) return;
    for (const [id, edit] of Object.entries(stored.edits)) {
      const u = byId.get(Number(id));
      if (u && edit && typeof edit.t === 'string' && edit.s === u.s) edits[u.id] = edit.t;
    }
  }
  function saveEdits() {
    const stored = {};
    for (const id in edits) stored[id] = { s: byId.get(Number(id)).s, t: edits[id] };
    try {
      if (Object.keys(stored).length) localStorage.setItem(key, JSON.stringify({ edits: stored }));
      else localStorage.removeItem(key);
    } catch (e) {
      say('Could not keep the edits in this browser (' + e.message + '): export them before closing the page.');
    }
  }
  const current = (u) => (u.id in edits ? edits[u.id] : u.t);
  const editCount = () => Object.keys(edits).length;
  function showEdit(u) {
    const row = rowOf(u);
    const cell = row.querySelector('td.tgt');
    if (!cell.querySelector('textarea')) cell.textContent = current(u);
    row.classList.toggle('edited', u.id in edits);
  }
  function setEdit(u, text) {
    if (text === u.t) delete edits[u.id]; else edits[u.id] = text;
    showEdit(u);
    saveEdits();
    counter();
  }
  function counter() {
    const n = editCount();
    $('edited').textContent = n + ' edited';
    $('export').disabled = n === 0;
    $('discard').disabled = n === 0;
  }
  function say(text) { $('status').textContent = text; }

  // ------------------------------------------------------------ editing
  function startEdit(cell) {
    if (cell.querySelector('textarea')) return;
    const row = cell.parentElement;
    const u = unitOf(row);
    const box = document.createElement('textarea');
    box.value = current(u);
    box.rows = Math.max(2, Math.ceil(box.value.length / 60));
    box.setAttribute('aria-label', 'Translation of segment ' + u.id);
    box.spellcheck = true;
    box.lang = doc.trgLang;
    cell.textContent = '';
    cell.appendChild(box);
    box.focus();
    let done = false;
    const finish = (keep) => {
      if (done) return;
      done = true;
      const text = box.value.replace(/\r\n?/g, '\n').trim();
      box.remove();
      if (keep && text !== '') setEdit(u, text); else showEdit(u);
    };
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); finish(false); cell.focus(); }
      else if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); finish(true); cell.focus(); }
    });
    box.addEventListener('blur', () => finish(true));
  }
  document.addEventListener('click', (e) => {
    const cell = e.target.closest && e.target.closest('td.tgt');
    if (cell) startEdit(cell);
  });

  // ------------------------------------------------------------ filters
  const fFlag = $('f-flag'), fTerm = $('f-term'), fOrigin = $('f-origin'), fText = $('f-text');
  const chunkShown = new Map(), paraShown = new Map();
  units.forEach((u) => {
    u.hide = false;
    chunkShown.set(u.c, (chunkShown.get(u.c) || 0) + 1);
    paraShown.set(u.p, (paraShown.get(u.p) || 0) + 1);
  });
  function matches(u, flag, term, origin, text, id) {
    if (flag === '*' && u.f.length === 0) return false;
    if (flag === '-' && u.f.length > 0) return false;
    if (flag && flag !== '*' && flag !== '-' && !u.f.some((f) => f[0] === flag)) return false;
    if (term && !u.g.some((g) => g[0] === term)) return false;
    if (origin === 'edited' ? !(u.id in edits) : origin && u.o !== origin) return false;
    if (text) {
      if (id !== null && u.id === id) return true;
      return u.s.toLowerCase().includes(text) || current(u).toLowerCase().includes(text);
    }
    return true;
  }
  function applyFilters() {
    const text = fText.value.trim().toLowerCase();
    const id = /^#?\d+$/.test(text) ? Number(text.replace('#', '')) : null;
    const changed = new Set();
    let shown = 0;
    for (const u of units) {
      const hide = !matches(u, fFlag.value, fTerm.value, fOrigin.value, text, id);
      if (!hide) shown++;
      if (hide === u.hide) continue;
      u.hide = hide;
      rowOf(u).hidden = hide;
      const d = hide ? -1 : 1;
      chunkShown.set(u.c, chunkShown.get(u.c) + d);
      paraShown.set(u.p, paraShown.get(u.p) + d);
      changed.add(u);
    }
    const seenC = new Set(), seenP = new Set();
    for (const u of changed) {
      if (!seenC.has(u.c)) { seenC.add(u.c); $('c' + u.c).hidden = chunkShown.get(u.c) === 0; }
      if (!seenP.has(u.p)) { seenP.add(u.p); $('p' + u.p).hidden = paraShown.get(u.p) === 0; }
    }
    $('shown').textContent = shown === units.length
      ? 'all ' + units.length + ' segments'
      : shown + ' of ' + units.length + ' segments shown';
  }
  let timer = 0;
  fText.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(applyFilters, 120); });
  for (const select of [fFlag, fTerm, fOrigin]) select.addEventListener('change', applyFilters);

  // ------------------------------------------------------------ navigation
  let here = -1;
  document.addEventListener('focusin', (e) => {
    const row = e.target.closest && e.target.closest('tr[id^="s"]');
    const u = unitOf(row);
    if (u) here = u.i;
  });
  function go(step, flaggedOnly) {
    for (let i = here + step; i >= 0 && i < units.length; i += step) {
      const u = units[i];
      if (u.hide || (flaggedOnly && u.f.length === 0)) continue;
      here = i;
      const row = rowOf(u);
      row.scrollIntoView({ block: 'center' });
      row.querySelector('td.tgt').focus();
      return;
    }
    say(flaggedOnly ? 'No ' + (step > 0 ? 'further' : 'earlier') + ' flagged segment is shown.' : '');
  }
  $('next').addEventListener('click', () => go(1, true));
  $('prev').addEventListener('click', () => go(-1, true));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.closest && t.closest('input, textarea, select')) return;
    switch (e.key) {
      case 'n': go(1, true); break;
      case 'p': go(-1, true); break;
      case 'j': go(1, false); break;
      case 'k': go(-1, false); break;
      case '/': fText.focus(); break;
      case 'Enter': {
        const cell = t.closest && (t.closest('td.tgt') || (t.matches('tr[id^="s"]') && t.querySelector('td.tgt')));
        if (!cell) return;
        startEdit(cell);
        break;
      }
      default: return;
    }
    e.preventDefault();
  });

  // ------------------------------------------------------------ export
  const xmlText = (s) => s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xmlAttr = (s) => xmlText(s).replace(/"/g, '&quot;');
  const note = (indent, attrs, text) => indent + '<note' + attrs + '>' + xmlText(text) + '</note>\n';
  // The same document the run's XLIFF writer makes, with the edited units'
  // targets replaced and their state "reviewed".
  function xliff() {
    const out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="', xmlAttr(doc.srcLang),
      '" trgLang="', xmlAttr(doc.trgLang), '">\n',
      '  <file id="f1" original="', xmlAttr(doc.name), '">\n',
      '    <notes>\n', note('      ', ' category="backend"', doc.backend)];
    if (doc.glossary) out.push(note('      ', ' category="glossary"', doc.glossary));
    out.push('    </notes>\n');
    for (const u of units) {
      out.push('    <unit id="', String(u.id), '">\n');
      if (u.g.length || u.f.length) {
        out.push('      <notes>\n');
        for (const g of u.g) out.push(note('        ', ' category="glossary" appliesTo="source"', g[0] + ' = ' + g[1]));
        for (const f of u.f) {
          const applies = f[0] === 'long-segment' ? 'source' : 'target';
          out.push(note('        ', ' category="flag" appliesTo="' + applies + '"', f[1]));
        }
        out.push('      </notes>\n');
      }
      const target = current(u);
      const state = u.id in edits || u.o === 'reviewed' ? 'reviewed' : target === '' ? 'initial' : 'translated';
      out.push('      <segment state="', state, '">\n        <source>', xmlText(u.s), '</source>\n');
      if (target !== '') out.push('        <target>', xmlText(target), '</target>\n');
      out.push('      </segment>\n    </unit>\n');
    }
    out.push('  </file>\n</xliff>\n');
    return out.join('');
  }
  $('export').addEventListener('click', () => {
    const n = editCount();
    const name = doc.stem + '.review.xlf';
    const url = URL.createObjectURL(new Blob([xliff()], { type: 'application/xliff+xml' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    // Exported edits are no longer kept for a reload; the page still shows them.
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    say('Exported ' + n + (n === 1 ? ' edit' : ' edits') + ' to ' + name +
      '. Put it beside ' + doc.stem + '.jsonl and run: bitext import ' + name);
  });
  $('discard').addEventListener('click', () => {
    if (!window.confirm('Discard all ' + editCount() + ' edits?')) return;
    const ids = Object.keys(edits);
    edits = Object.create(null);
    ids.forEach((id) => showEdit(byId.get(Number(id))));
    saveEdits();
    counter();
    say('Edits discarded.');
  });

  // ------------------------------------------------------------ start
  loadEdits();
  for (const id in edits) showEdit(byId.get(Number(id)));
  counter();
  $('shown').textContent = 'all ' + units.length + ' segments';
  $('tools').hidden = false;
  // Rows scrolled to (by a link, a search or the keyboard) stay clear of
  // the sticky tools.
  const pad = () => { document.documentElement.style.scrollPaddingTop = $('tools').offsetHeight + 8 + 'px'; };
  pad();
  window.addEventListener('resize', pad);
  if (editCount()) say(editCount() + ' edits restored from this browser (not yet exported).');
  for (const cell of document.querySelectorAll('td.tgt')) cell.tabIndex = 0;
  document.documentElement.dataset.ready = 'true';
  if (performance.mark) performance.mark('bitext-ready');
})();
