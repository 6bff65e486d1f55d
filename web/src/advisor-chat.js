/*
 * <advisor-chat server="http://127.0.0.1:5005"></advisor-chat>
 *
 * The Interview Advisor chat widget: a launcher bubble that opens a chat with the Rasa server's
 * `webchat` socket.io channel (channels/webchat.py). Built on deep-chat (the chat shell: message
 * list, input, typing bubble) and socket.io-client, both served next to this file from
 * web/node_modules by scripts/serve_web.py - no CDN, works offline.
 *
 * Replies arrive as the reply model (docs/reply-model.md) and are rendered here as cards. Every
 * piece of text that comes from the person or the server is put in the DOM with textContent
 * (or as a text node); deep-chat only ever receives constant HTML (an empty slot element that
 * this file fills in).
 */
(function () {
  'use strict';

  const script = document.currentScript;
  const BASE = new URL('.', (script && script.src) || location.href).href;
  const SESSION_KEY = 'advisor-chat:session';
  const SESSION_RE = /^[0-9a-f]{32}$/;
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

  // ------------------------------------------------------------------------------------------
  // small DOM helpers: text only ever goes in as text nodes
  // ------------------------------------------------------------------------------------------

  /** el('p', {class: 'x', 'aria-label': 'y'}, 'text', childNode, ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on') && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Text with http(s) links made clickable: a fragment of text nodes and <a> elements. */
  function linkify(text) {
    const frag = document.createDocumentFragment();
    const value = String(text == null ? '' : text);
    let last = 0;
    for (const match of value.matchAll(URL_RE)) {
      if (match.index > last) frag.append(document.createTextNode(value.slice(last, match.index)));
      const a = el('a', {href: match[0], target: '_blank', rel: 'noopener noreferrer'});
      a.textContent = match[0];
      frag.append(a);
      last = match.index + match[0].length;
    }
    if (last < value.length) frag.append(document.createTextNode(value.slice(last)));
    return frag;
  }

  function para(text, cls) {
    return el('p', {class: cls}, linkify(text));
  }

  /** The launcher's speech-bubble icon (constant SVG, no emoji font needed). */
  function chatIcon() {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '28');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z');
    svg.append(path);
    return svg;
  }

  function newSessionId() {
    const bytes = new Uint8Array(16); // 128 bits
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ------------------------------------------------------------------------------------------
  // the reply model as cards
  // ------------------------------------------------------------------------------------------

  const SEVERITY = {high: 'High', medium: 'Medium', low: 'Low'};

  function quoteList(quotes) {
    const items = (quotes || []).map((q) => {
      const text = typeof q === 'string' ? q : q && q.text;
      return text ? el('blockquote', {class: 'ia-quote'}, '\u201c', text, '\u201d') : null;
    }).filter(Boolean);
    return items.length ? el('div', {class: 'ia-quotes', 'aria-label': 'Your words'}, items) : null;
  }

  function flagCard(flag) {
    const severity = SEVERITY[flag.severity];
    return el('section', {class: 'ia-card ia-flag' + (flag.severity ? ' ia-sev-' + flag.severity : ''),
      'aria-label': 'Red flag: ' + (flag.title || '')},
      el('h3', {class: 'ia-card-title'},
        el('span', {class: 'ia-icon', 'aria-hidden': 'true'}, '\u26a0'),
        el('span', {class: 'ia-title-text'}, flag.title || ''),
        flag.opportunity ? el('span', {class: 'ia-about'}, flag.opportunity) : null,
        severity ? el('span', {class: 'ia-badge'}, severity) : null),
      quoteList(flag.quotes),
      flag.why ? el('p', {class: 'ia-why'}, el('strong', {}, 'Why it matters: '), linkify(flag.why)) : null);
  }

  let checkboxCounter = 0;
  function checklist(steps) {
    if (!steps || !steps.length) return null;
    return el('ul', {class: 'ia-steps', 'aria-label': 'Next steps'}, steps.map((step) => {
      const id = 'ia-step-' + (++checkboxCounter);
      return el('li', {}, el('input', {type: 'checkbox', id}), el('label', {for: id}, linkify(step)));
    }));
  }

  function adviceCard(advice) {
    return el('section', {class: 'ia-card ia-advice', 'aria-label': 'Advice: ' + (advice.title || '')},
      el('h3', {class: 'ia-card-title'}, advice.title || '',
        advice.opportunity ? el('span', {class: 'ia-about'}, advice.opportunity) : null),
      advice.text ? para(advice.text) : null,
      advice.next_steps && advice.next_steps.length ? el('h4', {}, 'Next steps') : null,
      checklist(advice.next_steps),
      advice.questions_to_ask && advice.questions_to_ask.length ? el('h4', {}, 'Questions to ask them') : null,
      advice.questions_to_ask && advice.questions_to_ask.length
        ? el('ul', {class: 'ia-questions', 'aria-label': 'Questions to ask them'},
          advice.questions_to_ask.map((q) => el('li', {}, linkify(q))))
        : null);
  }

  function explanationCard(exp) {
    const reasons = (exp.reasons || []).map((r) =>
      el('li', {}, linkify(r.condition || ''), quoteList(r.quotes)));
    return el('section', {class: 'ia-card ia-explanation', 'aria-label': 'Why: ' + (exp.title || '')},
      el('h3', {class: 'ia-card-title'}, exp.title || '',
        exp.opportunity ? el('span', {class: 'ia-about'}, exp.opportunity) : null),
      exp.why ? para(exp.why) : null,
      reasons.length ? el('ul', {class: 'ia-reasons'}, reasons) : null);
  }

  const CELL_MARK = {for: '\u2714', against: '\u2716', said: '\u2026', unknown: '?'};
  const CELL_WORDS = {for: 'counts for it', against: 'counts against it',
    said: 'you mentioned it', unknown: 'not known yet'};
  const CONFIDENCE = {high: 'fairly sure', medium: 'somewhat sure', low: 'not sure'};

  /** The comparison as a table: a column per option (ranked), a row per topic. */
  function comparisonTable(comparison) {
    const options = comparison.options || [];
    const ranks = {};
    for (const p of comparison.priorities || []) ranks[p.topic] = p.rank;
    const topics = options.length ? (options[0].cells || []).map((c) => [c.topic, c.title]) : [];
    const head = el('tr', {}, el('th', {scope: 'col'}, 'What matters'),
      options.map((o) => el('th', {scope: 'col'}, `${o.rank}. ${o.opportunity || ''}`)));
    const rows = topics.map(([topic, title]) => el('tr', {},
      el('th', {scope: 'row'}, title || topic,
        ranks[topic] && !comparison.assumed_priorities ? el('span', {class: 'ia-badge'}, '#' + ranks[topic]) : null),
      options.map((o) => {
        const cell = (o.cells || []).find((c) => c.topic === topic) || {status: 'unknown'};
        const status = CELL_MARK[cell.status] ? cell.status : 'unknown';
        return el('td', {class: 'ia-cell ia-cell-' + status},
          el('span', {class: 'ia-mark', 'aria-label': CELL_WORDS[status], title: CELL_WORDS[status]}, CELL_MARK[status]),
          ' ',
          (cell.flags || []).length ? 'Red flag: ' + cell.flags.join(', ') : null,
          quoteList(cell.quotes),
          !(cell.flags || []).length && !(cell.quotes || []).length && cell.question
            ? el('span', {class: 'ia-ask'}, 'Ask: ', cell.question) : null);
      })));
    const verdict = comparison.verdict || {};
    return el('section', {class: 'ia-card ia-comparison', 'aria-label': 'Your options side by side'},
      el('div', {class: 'ia-table-wrap'}, el('table', {class: 'ia-compare'},
        el('thead', {}, head), el('tbody', {}, rows))),
      el('p', {class: 'ia-verdict'}, el('strong', {}, 'My verdict '),
        el('span', {class: 'ia-badge'}, CONFIDENCE[verdict.confidence] || String(verdict.confidence || '')),
        ' ', verdict.text || ''),
      (verdict.reasons || []).length ? el('ul', {class: 'ia-reasons'},
        verdict.reasons.map((r) => el('li', {}, r))) : null);
  }

  function copyButton(getText) {
    const button = el('button', {type: 'button', class: 'ia-copy'}, 'Copy');
    button.addEventListener('click', async () => {
      const text = getText();
      let ok = false;
      try {
        await navigator.clipboard.writeText(text);
        ok = true;
      } catch (_) {
        const area = el('textarea', {class: 'ia-offscreen', 'aria-hidden': 'true'});
        area.value = text;
        document.body.append(area);
        area.select();
        try { ok = document.execCommand('copy'); } catch (__) { ok = false; }
        area.remove();
      }
      button.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    });
    return button;
  }

  function draftBlock(draft) {
    const pre = el('pre', {class: 'ia-draft-text', tabindex: '0'});
    pre.textContent = draft.text || '';
    return el('section', {class: 'ia-card ia-draft', 'aria-label': 'Draft: ' + (draft.title || '')},
      el('div', {class: 'ia-draft-head'},
        el('h3', {class: 'ia-card-title'}, draft.title || 'Draft'),
        copyButton(() => draft.text || '')),
      pre);
  }

  function chipRow(buttons, send, label, cls) {
    const list = buttons.filter((b) => b && b.title);
    if (!list.length) return null;
    return el('div', {class: 'ia-chips ' + (cls || ''), role: 'group', 'aria-label': label},
      list.map((b) => el('button', {type: 'button', class: 'ia-chip',
        onclick: () => send(String(b.payload || b.title))}, b.title)));
  }

  /** A fact noted or corrected by this message: "Title: label (was: ...) - you said "..."". */
  function notedFact(fact) {
    const label = fact.label == null ? String(fact.value) : fact.label;
    return el('li', {},
      fact.previous == null ? 'Noted - ' : 'Corrected - ',
      el('strong', {}, fact.title || fact.id || ''), ': ', label,
      fact.opportunity ? ` (${fact.opportunity})` : '',
      fact.previous == null ? '' : ` (was: ${fact.previous})`,
      fact.quote && fact.source !== 'detail' ? ` - you said \u201c${fact.quote}\u201d` : '');
  }

  /**
   * Render one reply (the reply model's JSON) as an element. `send(text)` sends a user message.
   */
  function renderReply(reply, send) {
    reply = reply || {};
    const root = el('div', {class: 'ia-reply ia-kind-' + String(reply.kind || 'unknown').replace(/[^a-z_]/g, '')});
    if (reply.opportunity) root.append(el('p', {class: 'ia-note ia-about-reply'}, 'About ', el('strong', {}, reply.opportunity)));
    if (reply.answer && reply.answer.text) root.append(para(reply.answer.text, 'ia-answer'));
    for (const note of reply.notes || []) root.append(para(note, 'ia-note'));
    if (reply.message) root.append(para(reply.message, 'ia-message'));
    if ((reply.flags || []).length) {
      root.append(el('h2', {class: 'ia-section'}, 'Red flags'));
      for (const flag of reply.flags) root.append(flagCard(flag));
    }
    if ((reply.withdrawn || []).length) {
      root.append(el('p', {class: 'ia-note'}, 'No longer counted: ',
        reply.withdrawn.map((w) => w.title).join(', ')));
    }
    if ((reply.facts || []).length && reply.kind !== 'summary') {
      // what this message told the bot, with the person's words: they see what it understood
      root.append(el('ul', {class: 'ia-noted', 'aria-label': 'What I noted'},
        reply.facts.map(notedFact)));
    }
    if ((reply.facts || []).length && reply.kind === 'summary') {
      root.append(el('h2', {class: 'ia-section'}, 'What I know'));
      root.append(el('dl', {class: 'ia-facts'}, reply.facts.map((f) =>
        [el('dt', {}, f.title || f.id || ''), el('dd', {}, f.label == null ? String(f.value) : f.label)])));
    }
    if ((reply.advice || []).length) {
      root.append(el('h2', {class: 'ia-section'}, 'What to do'));
      for (const advice of reply.advice) root.append(adviceCard(advice));
      if (reply.more_advice) {
        root.append(el('p', {class: 'ia-note'},
          `${reply.more_advice} more piece${reply.more_advice === 1 ? '' : 's'} of advice in the summary.`));
      }
    }
    if ((reply.explanations || []).length) {
      root.append(el('h2', {class: 'ia-section'}, 'Why I said that'));
      for (const exp of reply.explanations) root.append(explanationCard(exp));
    }
    if (reply.comparison) root.append(comparisonTable(reply.comparison));
    if (reply.draft && reply.draft.text) root.append(draftBlock(reply.draft));
    if (reply.question && reply.question.text) {
      const q = reply.question;
      root.append(el('div', {class: 'ia-question'}, para(q.text, 'ia-question-text'),
        chipRow((q.options || []).map((o) => ({title: o.label || o.value, payload: o.label || o.value})),
          send, 'Answers', 'ia-options')));
    }
    if (reply.closing) root.append(para(reply.closing, 'ia-closing'));
    const chips = chipRow(reply.suggestions || [], send, 'Suggestions');
    if (chips) root.append(chips);
    if (reply.rateable) {
      root.append(el('div', {class: 'ia-rate', role: 'group', 'aria-label': 'Was this helpful?'},
        el('span', {class: 'ia-rate-label'}, 'Was this helpful?'),
        el('button', {type: 'button', class: 'ia-chip ia-rate-up', onclick: () => send('that helped')},
          el('span', {'aria-hidden': 'true'}, '\ud83d\udc4d '), 'Helpful'),
        el('button', {type: 'button', class: 'ia-chip ia-rate-down', onclick: () => send('not helpful')},
          el('span', {'aria-hidden': 'true'}, '\ud83d\udc4e '), 'Not helpful')));
    }
    return root;
  }

  /** A bot message without the reply model: its text and its buttons. */
  function renderPlain(message, send) {
    const root = el('div', {class: 'ia-reply ia-plain'});
    for (const part of String(message.text || '').split(/\n{2,}/)) {
      if (part.trim()) root.append(para(part, 'ia-message'));
    }
    const chips = chipRow(message.buttons || [], send, 'Suggestions');
    if (chips) root.append(chips);
    return root;
  }

  function renderBotMessage(message, send) {
    return message && message.reply ? renderReply(message.reply, send) : renderPlain(message || {}, send);
  }

  // ------------------------------------------------------------------------------------------
  // loading the two npm packages (ES modules) next to this file, once
  // ------------------------------------------------------------------------------------------

  let vendorPromise = null;
  function loadVendor() {
    if (!vendorPromise) {
      vendorPromise = Promise.all([
        import(BASE + 'vendor/deep-chat.js'),
        import(BASE + 'vendor/socket.io.js'),
        fetch(BASE + 'advisor-chat.css').then((r) => r.text()),
      ]).then(([, sio, css]) => ({io: sio.io, css}));
    }
    return vendorPromise;
  }

  // ------------------------------------------------------------------------------------------
  // the element
  // ------------------------------------------------------------------------------------------

  let instances = 0;

  class AdvisorChat extends HTMLElement {
    constructor() {
      super();
      this.n = ++instances;
      this.slots = new Map();   // slot number -> bot message
      this.slotCounter = 0;
      this.pending = [];        // texts typed before the session was confirmed
      this.sessionReady = false;
      this.rendered = false;
      this.signals = null;
    }

    get server() {
      return (this.getAttribute('server') || 'http://127.0.0.1:5005').replace(/\/+$/, '');
    }

    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({mode: 'open'});
      this.styleEl = el('style');
      const panelId = 'ia-panel-' + this.n;
      this.launcher = el('button', {type: 'button', class: 'ia-launcher', 'aria-expanded': 'false',
        'aria-controls': panelId, 'aria-label': 'Open the Interview Advisor chat',
        onclick: () => this.toggle()},
        chatIcon());
      this.status = el('p', {class: 'ia-status', role: 'status'});
      this.live = el('div', {class: 'ia-offscreen', 'aria-live': 'polite', 'aria-atomic': 'false'});
      this.body = el('div', {class: 'ia-body'});
      this.panel = el('div', {class: 'ia-panel', id: panelId, role: 'dialog',
        'aria-label': 'Interview Advisor chat', hidden: true},
        el('header', {class: 'ia-header'},
          el('h2', {class: 'ia-title'}, 'Interview Advisor'),
          el('button', {type: 'button', class: 'ia-new', onclick: () => this.newConversation()},
            'New conversation'),
          el('button', {type: 'button', class: 'ia-new ia-forget',
            title: 'Delete this conversation and your ratings (you will be asked to confirm)',
            onclick: () => this.sendText('delete my data')}, 'Delete my data'),
          el('button', {type: 'button', class: 'ia-close', 'aria-label': 'Close chat',
            onclick: () => this.close()}, el('span', {'aria-hidden': 'true'}, '\u00d7'))),
        this.status, this.body, this.live);
      this.panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') { e.stopPropagation(); this.close(); }
      });
      root.append(this.styleEl, this.panel, this.launcher);
      this.watchViewport();
      this.ready = this.init().catch((err) => {
        this.setStatus('The chat could not start: ' + (err && err.message ? err.message : err));
        throw err;
      });
    }

    setStatus(text) {
      this.status.textContent = text || '';
      this.status.hidden = !text;
    }

    /** Keep the panel above the on-screen keyboard: size it to the visual viewport. */
    watchViewport() {
      const vv = window.visualViewport;
      const apply = () => {
        const h = vv ? vv.height : window.innerHeight;
        this.style.setProperty('--ia-vh', h + 'px');
        this.style.setProperty('--ia-vtop', (vv ? vv.offsetTop : 0) + 'px');
      };
      apply();
      if (vv) {
        vv.addEventListener('resize', apply);
        vv.addEventListener('scroll', apply);
      }
      window.addEventListener('resize', apply);
    }

    get sessionId() {
      let id = null;
      try { id = localStorage.getItem(SESSION_KEY); } catch (_) { /* storage blocked */ }
      if (!id || !SESSION_RE.test(id)) {
        id = newSessionId();
        try { localStorage.setItem(SESSION_KEY, id); } catch (_) { /* keep it in memory */ }
      }
      this._session = id;
      return id;
    }

    async init() {
      const [{io, css}, history] = await Promise.all([loadVendor(), this.fetchHistory()]);
      this.styleEl.textContent = css;
      this.buildChat(css, history);
      this.connect(io);
    }

    async fetchHistory() {
      const id = this.sessionId;
      try {
        const url = `${this.server}/webhooks/webchat/history?session_id=${encodeURIComponent(id)}`;
        const resp = await fetch(url, {credentials: 'omit'});
        if (!resp.ok) return [];
        const data = await resp.json();
        return Array.isArray(data.messages) ? data.messages : [];
      } catch (_) {
        return [];
      }
    }

    slotFor(message) {
      const n = ++this.slotCounter;
      this.slots.set(String(n), message);
      // constant markup only: the slot is filled with DOM built from text (fillSlots)
      return {role: 'ai', html: `<div class="ia-slot" data-slot="${n}"></div>`};
    }

    historyMessages(history) {
      return history.map((m) => m.role === 'user'
        ? {role: 'user', text: String(m.text || '')}
        : this.slotFor(m));
    }

    buildChat(css, history) {
      const chat = document.createElement('deep-chat');
      this.chat = chat;
      chat.className = 'ia-chat';
      // our own font stack: deep-chat would otherwise add a Google Fonts <link> (no CDN, offline)
      chat.style.fontFamily = FONT;
      chat.auxiliaryStyle = css;
      chat.remarkable = {html: false, breaks: true, typographer: false};
      chat.history = this.historyMessages(history);
      chat.displayLoadingBubble = true;
      chat.textInput = {placeholder: {text: 'Describe your interview\u2026'},
        styles: {container: {borderRadius: '10px', border: '1px solid #9aa4b2', boxShadow: 'none',
          width: 'calc(100% - 24px)', backgroundColor: '#fff'}, text: {padding: '10px 12px', fontSize: '16px', color: '#111'}}};
      chat.submitButtonStyles = {position: 'inside-end'};
      chat.chatStyle = {width: '100%', height: '100%', border: 'none', backgroundColor: '#f6f7f9',
        fontFamily: FONT, fontSize: '15px'};
      chat.inputAreaStyle = {backgroundColor: '#fff', borderTop: '1px solid #dde1e6'};
      chat.messageStyles = {
        default: {
          shared: {bubble: {maxWidth: '88%', lineHeight: '1.4', padding: '10px 12px'}},
          user: {bubble: {backgroundColor: '#1f4fd1', color: '#fff'}},
          ai: {bubble: {backgroundColor: '#fff', color: '#111', border: '1px solid #dde1e6'}},
        },
        html: {ai: {bubble: {maxWidth: '92%', width: '92%', backgroundColor: '#fff', color: '#111',
          border: '1px solid #dde1e6', padding: '10px 12px'}}},
      };
      chat.connect = {websocket: true, handler: (_, signals) => this.onSignals(signals)};
      chat.onComponentRender = () => {
        const first = !this.rendered;
        this.rendered = true;
        this.decorate();
        if (first && this.isOpen) this.focusInput();
        this.updateReady();
      };
      this.body.append(chat);
      this.observer = new MutationObserver(() => this.fillSlots());
      const start = () => {
        if (!chat.shadowRoot) return setTimeout(start, 20);
        this.observer.observe(chat.shadowRoot, {childList: true, subtree: true});
        this.fillSlots();
      };
      start();
    }

    /** deep-chat's input and send button: accessible names, keyboard activation. */
    decorate() {
      const sr = this.chat && this.chat.shadowRoot;
      if (!sr) return;
      const input = sr.getElementById('text-input');
      if (input) {
        input.setAttribute('role', 'textbox');
        input.setAttribute('aria-label', 'Message to the Interview Advisor');
        input.setAttribute('aria-multiline', 'true');
      }
      const submit = sr.querySelector('.input-button');
      if (submit && !submit.dataset.iaDecorated) {
        submit.dataset.iaDecorated = '1';
        submit.setAttribute('role', 'button');
        submit.setAttribute('aria-label', 'Send');
        submit.setAttribute('tabindex', '0');
        // deep-chat answers Enter on it; Space is ours (a button does both)
        submit.addEventListener('keydown', (e) => {
          if (e.key === ' ') { e.preventDefault(); submit.click(); }
        });
      }
    }

    fillSlots() {
      const sr = this.chat && this.chat.shadowRoot;
      if (!sr) return;
      this.decorate();
      for (const slot of sr.querySelectorAll('.ia-slot')) {
        if (slot.childElementCount) continue;
        const message = this.slots.get(slot.getAttribute('data-slot'));
        if (message) slot.append(renderBotMessage(message, (text) => this.sendText(text)));
      }
    }

    onSignals(signals) {
      this.signals = signals;
      signals.newUserMessage.listener = (body) => {
        const text = (body.messages || []).map((m) => m.text || '').join('\n').trim();
        if (text) this.emitText(text);
      };
      if (this.sessionReady) signals.onOpen();
    }

    connect(io) {
      const socket = io(this.server, {transports: ['websocket', 'polling'], reconnectionDelayMax: 5000});
      this.socket = socket;
      socket.on('connect', () => {
        this.sessionReady = false;
        socket.emit('session_request', {session_id: this._session || this.sessionId});
      });
      socket.on('session_confirm', () => {
        this.sessionReady = true;
        this.updateReady();
        this.setStatus('');
        if (this.signals) this.signals.onOpen();
        for (const text of this.pending.splice(0)) this.emitText(text);
      });
      socket.on('session_error', () => this.setStatus('The advisor refused this conversation id.'));
      socket.on('connect_error', () => {
        this.sessionReady = false;
        this.setStatus('Cannot reach the advisor. Retrying\u2026');
      });
      socket.on('disconnect', () => {
        this.sessionReady = false;
        this.removeAttribute('ready');
      });
      socket.on('bot_uttered', (message) => this.receive(message));
    }

    emitText(text) {
      if (!this.sessionReady) { this.pending.push(text); return; }
      this.socket.emit('user_uttered', {message: text, session_id: this._session});
    }

    /** A button's payload: shown and sent exactly like typed text. */
    sendText(text) {
      if (this.chat) this.chat.submitUserMessage({text});
    }

    receive(message) {
      if (!message || typeof message !== 'object') return;
      // a side-by-side table needs room: the panel widens for the rest of the conversation
      if (message.reply && message.reply.comparison) this.classList.add('ia-wide');
      const shown = this.slotFor(message);
      if (this.signals) this.signals.onResponse(shown);
      else this.chat.addMessage(shown);
      this.announce(message);
    }

    announce(message) {
      const text = String(message.text || '').slice(0, 1200);
      if (!text) return;
      this.live.append(el('p', {}, text));
      while (this.live.childElementCount > 3) this.live.firstElementChild.remove();
    }

    newConversation() {
      const id = newSessionId();
      try { localStorage.setItem(SESSION_KEY, id); } catch (_) { /* in memory only */ }
      this._session = id;
      this.slots.clear();
      this.classList.remove('ia-wide');
      this.live.replaceChildren();
      if (this.chat) this.chat.clearMessages(true);
      if (this.socket && this.socket.connected) {
        this.sessionReady = false;
        this.removeAttribute('ready');
        this.socket.emit('session_request', {session_id: id});
      }
      this.focusInput();
    }

    /** `ready` attribute: the input is on screen and the session confirmed (tests, bench). */
    updateReady() {
      const ready = Boolean(this.sessionReady && this.rendered);
      // an open chat that becomes ready has its input focused: what is typed next is not lost
      if (ready && !this.hasAttribute('ready') && this.isOpen) this.focusInput();
      this.toggleAttribute('ready', ready);
    }

    focusInput() {
      if (this.rendered && this.chat && this.chat.focusInput) this.chat.focusInput();
    }

    get isOpen() {
      return !this.panel.hidden;
    }

    open() {
      this.panel.hidden = false;
      this.launcher.setAttribute('aria-expanded', 'true');
      this.launcher.setAttribute('aria-label', 'Close the Interview Advisor chat');
      this.classList.add('ia-open');
      this.setAttribute('open', '');
      this.focusInput();  // or, on the first open, as soon as deep-chat has rendered
    }

    close() {
      this.panel.hidden = true;
      this.launcher.setAttribute('aria-expanded', 'false');
      this.launcher.setAttribute('aria-label', 'Open the Interview Advisor chat');
      this.classList.remove('ia-open');
      this.removeAttribute('open');
      this.launcher.focus();
    }

    toggle() {
      if (this.isOpen) this.close(); else this.open();
    }
  }

  if (!customElements.get('advisor-chat')) customElements.define('advisor-chat', AdvisorChat);
  window.AdvisorChat = {renderReply, renderBotMessage, newSessionId};
})();
