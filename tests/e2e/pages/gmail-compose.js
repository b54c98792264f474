// The behaviour of the Gmail-like test page (gmail-compose.html). It builds every element with
// DOM calls, and sends Gmail's real captured request bodies, changed to carry what this compose
// holds (ids, chips, subject, body), to /sync/u/0/i/s with XMLHttpRequest, as Gmail does.
(() => {
  const params = new URLSearchParams(location.search);
  // Gmail's own language (?hl=): the same markup with translated texts, as in a Japanese or German Gmail.
  const TEXTS = {
    en: {
      to: 'To',
      cc: 'Cc',
      bcc: 'Bcc',
      addCc: 'Add Cc recipients',
      addBcc: 'Add Bcc recipients',
      remove: 'Remove',
      send: 'Send',
      sendTip: 'Send \u202a(Ctrl-Enter)\u202c',
      more: 'More send options',
      tools: ['Formatting options', 'Attach files', 'More options'],
      discard: 'Discard draft \u202a(Ctrl-Shift-D)\u202c',
      body: 'Message Body',
      subject: 'Subject',
      newMessage: 'New Message',
      sent: 'Message sent.',
      scheduled: 'Send scheduled.',
      notSent: 'Message not sent.',
      undo: 'Undo',
    },
    ja: {
      to: '宛先',
      cc: 'Cc',
      bcc: 'Bcc',
      addCc: 'Cc で受信者を追加',
      addBcc: 'Bcc で受信者を追加',
      remove: '削除',
      send: '送信',
      sendTip: '送信 \u202a(Ctrl+Enter)\u202c',
      more: '送信オプション',
      tools: ['書式設定オプション', 'ファイルを添付', 'その他のオプション'],
      discard: '下書きを破棄 \u202a(Ctrl+Shift+D)\u202c',
      body: 'メッセージ本文',
      subject: '件名',
      newMessage: '新規メッセージ',
      sent: 'メッセージを送信しました。',
      scheduled: '送信を予約しました。',
      notSent: 'メッセージを送信できませんでした。',
      undo: '元に戻す',
    },
    de: {
      to: 'An',
      cc: 'Cc',
      bcc: 'Bcc',
      addCc: 'Cc-Empfänger hinzufügen',
      addBcc: 'Bcc-Empfänger hinzufügen',
      remove: 'Entfernen',
      send: 'Senden',
      sendTip: 'Senden \u202a(Strg + Eingabetaste)\u202c',
      more: 'Weitere Sendeoptionen',
      tools: ['Formatierungsoptionen', 'Dateien anhängen', 'Weitere Optionen'],
      discard: 'Entwurf verwerfen \u202a(Strg + Umschalt + D)\u202c',
      body: 'Nachrichtentext',
      subject: 'Betreff',
      newMessage: 'Neue Nachricht',
      sent: 'Nachricht gesendet.',
      scheduled: 'Senden geplant.',
      notSent: 'Nachricht nicht gesendet.',
      undo: 'Rückgängig machen',
    },
  };
  const T = TEXTS[params.get('hl')] ?? TEXTS.en;
  document.documentElement.lang = params.get('hl') ?? 'en';
  /** The page's own undo window (Gmail's "Undo send" setting), in ms. */
  const UNDO_MS = Number(params.get('undoMs') ?? 3000);
  const templates = {};
  const ready = Promise.all(
    ['cvOnSend_request', 'cvOnDraftSave_request', 'cvOnReplySend_request', 'cvOnReplyDraftSave_request'].map((name) =>
      fetch(`/_fixture/gmail/2022-09-09-${name}.json`)
        .then((r) => r.text())
        .then((text) => {
          templates[name] = text;
        }),
    ),
  );
  // A delegated mailbox opens at /mail/b/<id>/u/<N>/ and sends to /sync/u/<N>/d/<id>/i/s; its
  // title names the delegated address, its account button still the rep's own account.
  const delegated = /^\/mail\/b\/([^/]+)\/u\/(\d+)\//.exec(location.pathname);
  const mailbox = delegated ? 'boss@acme.com' : 'rep@acme.com';
  const syncPath = delegated ? `/sync/u/${delegated[2]}/d/${delegated[1]}/i/s` : '/sync/u/0/i/s';
  if (delegated) document.title = `Inbox - ${mailbox} - Gmail`;
  let counter = 0;
  const newId = () => `${Date.now()}${++counter}`;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };

  // ------------------------------------------------------------------ recipients (chip rows)
  function chip(address) {
    const remove = el('div', { role: 'button', class: 'afX', 'aria-label': `${T.remove} ${address}` }, '×');
    const node = el('div', { role: 'option', 'data-hovercard-id': address, tabindex: '-1' }, el('span', {}, address), remove);
    remove.addEventListener('click', () => node.remove());
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Backspace' || e.key === 'Delete') node.remove();
    });
    return node;
  }

  function recipientRow(kind, hidden) {
    const listbox = el('div', { role: 'listbox' });
    const input = el('input', { role: 'combobox', type: 'text', 'aria-autocomplete': 'list', 'aria-label': T[kind] });
    // ?blockBcc=1: something on the page (a policy script, another extension) refuses Bcc addresses.
    const blocked = kind === 'bcc' && params.get('blockBcc') === '1';
    const commit = (text) => {
      if (blocked) return;
      for (const address of text.split(/[,;\s]+/)) if (address.includes('@')) listbox.append(chip(address.trim()));
    };
    input.addEventListener('paste', (e) => {
      e.preventDefault();
      commit(e.clipboardData?.getData('text/plain') ?? '');
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ',') {
        e.preventDefault();
        commit(input.value);
        input.value = '';
      } else if (e.key === 'Backspace' && input.value === '') listbox.lastElementChild?.remove();
    });
    const row = el('div', { name: kind, class: 'row' }, el('span', {}, T[kind]), listbox, input);
    if (hidden) row.hidden = true;
    return row;
  }

  const chipsIn = (root, kind) =>
    [...root.querySelectorAll(`[name="${kind}"] [role="option"]`)].map((c) => [1, c.getAttribute('data-hovercard-id')]);

  // ------------------------------------------------------------------ requests, as Gmail sends them
  function requestBody(compose, kind) {
    const reply = compose.inline;
    const name = reply
      ? kind === 'send'
        ? 'cvOnReplySend_request'
        : 'cvOnReplyDraftSave_request'
      : kind === 'send'
        ? 'cvOnSend_request'
        : 'cvOnDraftSave_request';
    const body = JSON.parse(templates[name]);
    const thread = body[1][0][0][1];
    thread[0] = compose.threadId;
    const message = reply ? thread[1][1][0] : kind === 'send' ? thread[1][13][0] : thread[1][2][0][4][0];
    if (!reply && kind === 'draft') thread[1][2][0][3] = compose.threadId;
    message[0] = compose.messageId;
    message[1] = [1, mailbox, 'Rep Example', null, null, null, null, null, null, mailbox];
    const list = (k) => {
      const chips = chipsIn(compose.root, k);
      return chips.length ? chips : null;
    };
    message[2] = list('to');
    message[3] = list('cc');
    message[4] = list('bcc');
    message[7] = compose.root.querySelector('input[name="subjectbox"], input[name="subject"]').value;
    message[8][1] = [[0, `<div dir="ltr">${compose.root.querySelector('[role="textbox"]').textContent}</div>`]];
    if (kind === 'scheduled') message[10] = message[10].map((l) => (l === '^pfg' ? '^scheduled' : l));
    // ?oddJson=1: a body JSON would write back otherwise (here: spaced out), which the extension must not change.
    return params.get('oddJson') === '1' ? JSON.stringify(body, null, 1) : JSON.stringify(body);
  }

  function sync(compose, kind) {
    return ready.then(
      () =>
        new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', `${syncPath}?hl=en&c=${++counter}&rt=r&pt=ji`);
          xhr.setRequestHeader('Content-Type', 'application/json');
          xhr.addEventListener('loadend', () => resolve(xhr.status));
          xhr.send(requestBody(compose, kind));
        }),
    );
  }

  // ------------------------------------------------------------------ composes
  const composes = new Set();

  function makeCompose({ inline, to = [], subject = '', messageId, threadId }) {
    const compose = {
      inline,
      messageId: messageId ?? `msg-a:r${newId()}`,
      threadId: threadId ?? (inline ? 'thread-f:1743802434391390786' : `thread-a:r${newId()}`),
      saveTimer: undefined,
    };
    const draft = el('input', { type: 'hidden', name: 'draft', value: `#${compose.messageId}` });
    const subjectInput = inline
      ? el('input', { type: 'hidden', name: 'subject', value: subject })
      : el('input', { name: 'subjectbox', placeholder: T.subject, 'aria-label': T.subject });
    if (!inline) subjectInput.value = subject;
    const bccToggle = el(
      'span',
      { role: 'link', class: 'aB gQ pB', 'aria-label': T.addBcc, 'data-tooltip': T.addBcc, tabindex: '0' },
      T.bcc,
    );
    const ccToggle = el('span', { role: 'link', class: 'aB gQ pE', 'aria-label': T.addCc, 'data-tooltip': T.addCc, tabindex: '0' }, T.cc);
    // The recipient rows and their Cc / Bcc links. An inline reply shows only a summary of its
    // recipients (div.aoD.hl) until that summary gets the focus; then the rows open.
    const section = el(
      'div',
      { class: 'fX aiL' },
      recipientRow('to', false),
      recipientRow('cc', true),
      recipientRow('bcc', true),
      ccToggle,
      bccToggle,
    );
    const cover = el('div', { class: 'aoD hl', tabindex: '1' }, to.map((a) => a.split('@')[0]).join(', '));
    if (inline) {
      section.style.display = 'none';
      cover.addEventListener('focus', () => {
        section.style.display = '';
        cover.style.display = 'none';
      });
    } else cover.style.display = 'none';
    const form = el(
      'form',
      {},
      el('input', { type: 'hidden', name: 'composeid', value: newId() }),
      draft,
      el('input', { type: 'hidden', name: 'rt', value: '' }),
      cover,
      section,
      subjectInput,
    );
    const body = el('div', { contenteditable: 'true', role: 'textbox', g_editable: 'true', 'aria-label': T.body });
    const send = el('div', { role: 'button', class: 'T-I aoO', tabindex: '0', 'data-tooltip': T.sendTip }, T.send);
    const more = el(
      'div',
      { role: 'button', class: 'T-I hG', 'aria-haspopup': 'true', 'aria-label': T.more, 'data-tooltip': T.more, tabindex: '0' },
      '▾',
    );
    // Another extension's button next to Send, as mail-tracking extensions add them (no Gmail tooltip).
    const foreign = el('div', { role: 'button', class: 'other-extension-button', tabindex: '0' }, 'Track');
    // Discard takes the compose away without sending (here above the fields, clear of the footer's width).
    const discard = el('div', { role: 'button', class: 'og T-I-J3', tabindex: '0', 'aria-label': T.discard, 'data-tooltip': T.discard });
    // Send's group sits in a wrapper of its own in the Send cell. Gmail's own tools follow, to the
    // right; a narrow compose keeps these few and folds the rest into More options.
    const tools = T.tools.map((tip, i) =>
      el('div', { role: 'button', class: 'gmail-tool', tabindex: '0', 'aria-label': tip, 'data-tooltip': tip }, ['A', '+', '⋮'][i]),
    );
    const footer = el(
      'table',
      { class: 'IZ' },
      el(
        'tbody',
        {},
        el(
          'tr',
          { class: 'btC' },
          el('td', { class: 'gU Up' }, el('div', {}, el('div', { class: 'dC' }, foreign, send, more))),
          el('td', { class: 'gU' }, ...tools),
        ),
      ),
    );
    const root = inline
      ? el('div', { class: 'M9 inline-reply' }, discard, form, body, footer)
      : el('div', { role: 'dialog', class: 'M9', 'aria-label': T.newMessage }, discard, form, body, footer);
    compose.root = root;
    for (const address of to) root.querySelector('[name="to"] [role="listbox"]').append(chip(address));
    bccToggle.addEventListener('click', () => (root.querySelector('[name="bcc"]').hidden = false));
    ccToggle.addEventListener('click', () => (root.querySelector('[name="cc"]').hidden = false));
    // Autosave: a draft save a moment after the rep stops typing, as Gmail does.
    const scheduleSave = () => {
      clearTimeout(compose.saveTimer);
      compose.saveTimer = setTimeout(() => void sync(compose, 'draft'), 300);
    };
    root.addEventListener('input', scheduleSave);
    send.addEventListener('click', () => void sendCompose(compose, 'send'));
    more.addEventListener('click', () => void sendCompose(compose, 'scheduled'));
    // Gmail deletes the draft and takes the compose away.
    discard.addEventListener('click', () => {
      clearTimeout(compose.saveTimer);
      root.remove();
      composes.delete(compose);
    });
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void sendCompose(compose, 'send');
      }
    });
    composes.add(compose);
    return compose;
  }

  function openCompose(options = {}) {
    const compose = makeCompose({ inline: false, ...options });
    document.body.append(compose.root);
    return compose;
  }

  function openReply(options = {}) {
    const compose = makeCompose({ inline: true, to: ['buyer@customer.com'], subject: 'Re: Quote for the next quarter', ...options });
    document.getElementById('reply-area').append(compose.root);
    return compose;
  }

  async function sendCompose(compose, kind) {
    clearTimeout(compose.saveTimer);
    const snapshot = {
      to: chipsIn(compose.root, 'to').map((c) => c[1]),
      subject: compose.root.querySelector('input[name="subjectbox"], input[name="subject"]')?.value ?? '',
    };
    const request = sync(compose, kind);
    compose.root.remove();
    composes.delete(compose);
    const status = await request;
    const undo = el('span', { id: 'link_undo', role: 'link', tabindex: '0' }, T.undo);
    const toast = el(
      'div',
      { role: 'alert' },
      el('span', {}, status === 200 ? (kind === 'scheduled' ? T.scheduled : T.sent) : T.notSent),
      ' ',
      undo,
    );
    document.body.append(toast);
    const timer = setTimeout(() => toast.remove(), UNDO_MS);
    undo.addEventListener('click', () => {
      clearTimeout(timer);
      toast.remove();
      // Gmail reopens the message as a draft and saves it as one.
      const reopened = (compose.inline ? openReply : openCompose)({
        messageId: compose.messageId,
        threadId: compose.threadId,
        to: snapshot.to,
        subject: snapshot.subject,
      });
      void sync(reopened, 'draft');
    });
  }

  // `?sendAfterMs=<ms>`: a rep who sends the moment the page has loaded (a compose restored with the page).
  const sendAfterMs = params.get('sendAfterMs');
  if (sendAfterMs !== null) {
    addEventListener('load', () =>
      setTimeout(() => {
        const compose = openCompose({ to: ['buyer@customer.com'], subject: 'Sent at once' });
        window.__gmailFixture.sentAtOnce = compose.messageId;
        void sendCompose(compose, 'send');
      }, Number(sendAfterMs)),
    );
  }

  document.getElementById('compose-button').addEventListener('click', () => openCompose());
  document.getElementById('reply-link').addEventListener('click', () => openReply());

  // Hooks for tests: what a person cannot do by clicking, but Gmail does by itself.
  window.__gmailFixture = {
    ready,
    /** Gmail re-renders a fresh compose's recipients: every chip row is rebuilt empty of what it had. */
    resetRecipients() {
      for (const compose of composes) {
        for (const kind of ['to', 'cc', 'bcc']) {
          const old = compose.root.querySelector(`[name="${kind}"]`);
          const fresh = recipientRow(kind, old.hidden);
          for (const c of old.querySelectorAll('[role="option"]')) {
            if (c.getAttribute('data-hovercard-id').startsWith('emailtosalesforce@')) continue;
            fresh.querySelector('[role="listbox"]').append(chip(c.getAttribute('data-hovercard-id')));
          }
          old.replaceWith(fresh);
        }
      }
    },
    /**
     * A send from a compose the page never showed to the extension (as from a Gmail layout or
     * window it does not know): the request leaves with no compose on the page. Answers its status.
     */
    sendUnseen() {
      const compose = makeCompose({ inline: false, to: ['buyer@customer.com'], subject: 'Sent from elsewhere' });
      composes.delete(compose);
      return sync(compose, 'send');
    },
    /** Unrelated page activity, for the mutation benchmark: `count` small DOM changes per frame. */
    mutate(total, perFrame) {
      const noise = document.getElementById('noise');
      return new Promise((resolve) => {
        let done = 0;
        const step = () => {
          for (let i = 0; i < perFrame && done < total; i++, done++) {
            const item = document.createElement('div');
            item.textContent = `item ${done}`;
            noise.append(item);
            if (noise.childElementCount > 50) noise.firstElementChild.remove();
          }
          if (done < total) requestAnimationFrame(step);
          else resolve(done);
        };
        requestAnimationFrame(step);
      });
    },
  };
})();
