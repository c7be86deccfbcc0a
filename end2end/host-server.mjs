// A stand-in for a merchant's site: serves a page that embeds the portal in an iframe,
// resizes it from the portal's messages, and records them for the tests.
import { createServer } from 'node:http';

const [port, portal] = process.argv.slice(2);
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body>
<h1>Our shop</h1>
<iframe id="retour" title="Returns" src="${portal}/demo?embed=1&lang=en" style="width:100%;height:300px;border:0"></iframe>
<script>
  window.retourMessages = [];
  window.addEventListener('message', (event) => {
    if (event.origin !== ${JSON.stringify(portal)}) return;
    window.retourMessages.push(event.data);
    if (event.data && event.data.type === 'retour:resize') {
      document.getElementById('retour').style.height = event.data.height + 'px';
    }
  });
</script>
</body></html>`;

createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
}).listen(Number(port), '127.0.0.1');
