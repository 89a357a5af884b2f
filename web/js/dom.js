// dom.js: builds the page from data. Text always enters as text nodes (textContent), never as HTML, so
// whatever a customer record holds (markup, script) is shown as plain text.

// el('a', {class: 'x', href: '#/', onclick: fn}, 'text', child, [more]) -> element
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) {
      if (typeof v !== 'function') throw new Error(`${k} must be a function`);
      e.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      e.className = v;
    } else if (k === 'dataset') {
      Object.assign(e.dataset, v);
    } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') {
      e[k] = v;
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  add(e, children);
  return e;
}

function add(e, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) add(e, c);
    else if (c instanceof Node) e.appendChild(c);
    else e.appendChild(document.createTextNode(String(c)));
  }
}

// Replaces the children of e.
export function fill(e, ...children) {
  e.replaceChildren();
  add(e, children);
  return e;
}

// A table: columns [{label, cell: row => node|text, class}], rows.
export function table(columns, rows, props) {
  return el('table', props || {},
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {class: c.class, scope: 'col'}, c.label)))),
    el('tbody', {}, rows.map(r => el('tr', {}, columns.map(c => el('td', {class: c.class}, c.cell(r)))))));
}
