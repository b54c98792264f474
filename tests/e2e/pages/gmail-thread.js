// The behaviour of the Gmail-like thread view (gmail-thread.html): loads the thread named in the
// URL (?thread=<id>) with POST /sync/u/0/i/fd and renders its messages with DOM calls only.
(() => {
  const thread = new URLSearchParams(location.search).get('thread') ?? '';
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const xhr = new XMLHttpRequest();
  xhr.open('POST', `/sync/u/0/i/fd?hl=en&c=1&rt=r&pt=ji`);
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.addEventListener('load', () => {
    const answer = JSON.parse(xhr.responseText.replace(/^\)\]\}'\n/, ''));
    const [t] = answer[1] ?? [];
    if (!t) return;
    const heads = new Map((t[1]?.[1] ?? []).map((h) => [h[0], h]));
    const details = t[2] ?? [];
    document.getElementById('thread-subject').textContent = details[0]?.[1]?.[4] ?? '';
    for (const [id, d] of details) {
      const from = heads.get(id)?.[1] ?? [];
      const html = d[5]?.[1]?.[0]?.[2]?.[1] ?? '';
      const body = el('div', { class: 'a3s' });
      // The test page shows the text only; Gmail sanitises and renders the HTML.
      body.textContent = html.replace(/<[^>]*>/g, '');
      // Gmail marks each message's view with its sync id (data-message-id="#msg-…").
      const sender = el('span', { class: 'gD', email: from[1] ?? '', name: from[2] ?? '' }, from[2] ?? '');
      const view = el('div', { 'data-message-id': `#${id}` }, sender, body);
      document.getElementById('messages').append(el('div', { class: 'adn ads' }, view));
    }
    document.body.dataset.loaded = 'true';
  });
  xhr.send(JSON.stringify([[[thread, 1, null, null, 1]], 1]));
})();
