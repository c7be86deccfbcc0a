// A stand-in for a merchant's site on another origin: embeds the portal with the snippet the
// back-office's Embed page gives (iframe + embed.js), and records the portal's events.
import { createServer } from 'node:http';

const [port, portal] = process.argv.slice(2);
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body>
<h1>Our shop</h1>
<iframe id="retour" data-retour title="Returns" src="${portal}/demo?embed=1&lang=en" style="width:100%;height:300px;border:0"></iframe>
<script src="${portal}/embed.js" defer></script>
<script>
  window.retourMessages = [];
  const frame = document.getElementById('retour');
  for (const type of ['retour:resize', 'retour:step', 'retour:submitted']) {
    frame.addEventListener(type, (event) => window.retourMessages.push(event.detail));
  }
</script>
</body></html>`;

createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
}).listen(Number(port), '127.0.0.1');
