// The dashboard's API key: from the link `npm start` prints (#key=…), or pasted; kept in
// this browser's localStorage, sent as `Authorization: Bearer …`. The fragment never
// reaches the server's logs.
(function () {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromLink) {
    localStorage.setItem('voiceApiKey', fromLink);
    history.replaceState(null, '', location.pathname);
  }
  window.apiHeaders = (extra = {}) => ({ authorization: `Bearer ${localStorage.getItem('voiceApiKey') || ''}`, 'content-type': 'application/json', ...extra });
  window.addEventListener('DOMContentLoaded', () => {
    const input = document.getElementById('apiKey');
    if (!input) return;
    input.value = localStorage.getItem('voiceApiKey') || '';
    input.addEventListener('change', () => localStorage.setItem('voiceApiKey', input.value.trim()));
  });
})();
