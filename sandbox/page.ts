/** The sandbox's H5 page: open orders with a Pay button, for a person to try the flow in a browser. */
export function sandboxPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>medpay sandbox</title><style>body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}button{padding:.3rem .8rem}</style></head><body>
<h1>medpay sandbox: open orders</h1><p>Press Pay to act as the patient: the provider marks the order paid and notifies medpay.</p>
<table><thead><tr><th>channel</th><th>outTradeNo</th><th>amount (¥)</th><th>status</th><th></th></tr></thead><tbody id="rows"></tbody></table>
<script>
const yuan=f=>String((f-f%100)/100)+'.'+String(f%100).padStart(2,'0'); // integer fen, no float arithmetic
async function load(){const orders=await (await fetch('/sandbox/orders')).json();
document.getElementById('rows').innerHTML=orders.map(o=>'<tr><td>'+o.channel+'</td><td>'+o.outTradeNo+'</td><td>'+yuan(o.amountFen)+'</td><td>'+o.status+'</td><td>'+(o.status==='PENDING'?'<button data-c="'+o.channel+'" data-n="'+o.outTradeNo+'">Pay</button>':'')+'</td></tr>').join('');}
document.addEventListener('click',async e=>{const b=e.target.closest('button');if(!b)return;b.disabled=true;
await fetch('/sandbox/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({channel:b.dataset.c,outTradeNo:b.dataset.n})});load();});
load();setInterval(load,3000);
</script></body></html>`;
}
