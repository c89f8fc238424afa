/** The sandbox's phone page. */
import { FAMILY_PAYER } from './h5-page';

/**
 * The sandbox's H5 page (GET /sandbox), sized for a phone: play the patient. Pending payments first (newest
 * first) with Pay and Decline; credit visits waiting for the patient's authorisation with Authorise and
 * Decline (WeChat Pay Score orders are listed; an Alipay freeze order string is pasted, as my.tradePay would
 * receive it); medical insurance: authorise (the wallet's 医保 page hands out a single-use code) and pay the
 * mixed orders waiting for the one password, with their split; then recent orders with their refunds. Each
 * action shows its result in a toast.
 * A QR order (a kiosk's code) shows its scannable code and is paid by whoever scans it; the patient's phone
 * shows payment codes for the window to scan.
 * Cards, not a table: usable from 360 px wide. Amounts are integer fen, shown as yuan without floats.
 */
export function sandboxPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>medpay 沙盒 · sandbox</title>
<style>
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f4f6;color:#111;font-size:16px}
header{background:#0b6b4f;color:#fff;padding:14px 16px}
header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{max-width:560px;margin:0 auto;padding:8px 12px 80px}
h2{font-size:15px;margin:18px 4px 8px;color:#374151}
.card{background:#fff;border-radius:12px;padding:12px 14px;margin:0 0 10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
.desc{font-weight:600;overflow-wrap:anywhere}
.amount{font-size:20px;font-weight:700;white-space:nowrap}
.meta{font-size:12px;color:#6b7280;margin-top:4px;overflow-wrap:anywhere}
.badge{display:inline-block;font-size:12px;border-radius:999px;padding:1px 8px;background:#e5e7eb;margin-right:6px}
.badge.alipay{background:#dbeafe;color:#1e40af}.badge.wechatpay{background:#dcfce7;color:#166534}
.badge.PAID,.badge.SUCCESS{background:#d1fae5;color:#065f46}.badge.REFUNDED,.badge.PROCESSING{background:#fef3c7;color:#92400e}
.actions{display:flex;gap:8px;margin-top:10px}
button{flex:1;font-size:16px;padding:10px;border-radius:8px;border:1px solid #d1d5db;background:#fff}
button.primary{background:#0b6b4f;border-color:#0b6b4f;color:#fff}
button:disabled{opacity:.5}
textarea{width:100%;min-height:64px;font:12px monospace;border:1px solid #d1d5db;border-radius:8px;padding:6px}
.empty{color:#6b7280;font-size:14px;margin:0 4px}
label{display:block;font-size:13px;color:#374151;margin-top:8px}
input,select{width:100%;font-size:16px;padding:8px;border:1px solid #d1d5db;border-radius:8px;background:#fff}
.split{display:grid;grid-template-columns:1fr 1fr 1fr;gap:6px;margin-top:8px;font-size:12px;color:#374151}
.split b{display:block;font-size:15px;color:#111}
.qr{display:block;margin:10px auto 0;background:#fff}
.code{font:13px monospace;overflow-wrap:anywhere;background:#f3f4f6;border-radius:6px;padding:6px;margin-top:8px}
#toast{position:fixed;left:12px;right:12px;bottom:16px;max-width:536px;margin:0 auto;background:#111;color:#fff;border-radius:10px;padding:12px 14px;font-size:14px;opacity:0;transition:opacity .2s;pointer-events:none}
#toast.show{opacity:.95}
</style></head><body>
<header><h1>medpay 沙盒 · sandbox</h1><p>Play the patient: pay or decline orders, authorise credit visits and medical insurance. The provider then notifies medpay.</p></header>
<main>
<h2>待支付 · Payments to pay</h2><div id="pending"></div>
<h2>付款码 · Show a payment code</h2>
<div class="card" id="paycode"><div class="desc">The patient's phone</div>
<div class="meta">What the window scans: a code in the wallet's format, used once. A password code waits for the password (the Pay button on its order).</div>
<label for="pc-channel">Wallet</label><select id="pc-channel"><option value="wechatpay">WeChat 微信</option><option value="alipay">Alipay 支付宝</option></select>
<label for="pc-kind">Code</label><select id="pc-kind"><option value="valid">pays at once</option><option value="password">needs a password</option><option value="expired">expired</option><option value="used">already used</option></select>
<div class="actions"><button class="primary" data-act="pay-code">Show code</button></div>
<div id="pc-shown" hidden><img id="pc-qr" alt="payment code" width="180" height="180"><div class="code" id="pc-code" aria-label="payment code"></div></div></div>
<h2>医保授权 · Authorise medical insurance</h2>
<div class="card" id="medauth"><div class="desc">医保电子凭证 · Medical insurance e-card</div>
<div class="meta">What the wallet's 医保 authorisation page does: the front end gets a single-use code for POST /payments.</div>
<label for="ma-channel">Wallet</label><select id="ma-channel"><option value="wechatpay">WeChat 微信</option><option value="alipay">Alipay 支付宝</option></select>
<label for="ma-payer">Payer (openid or Alipay user id)</label><input id="ma-payer" value="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" autocomplete="off">
<label for="ma-name">Insured person</label><input id="ma-name" value="张三" autocomplete="off">
<label for="ma-id">ID number</label><input id="ma-id" value="44030019000101123X" autocomplete="off">
<div class="actions"><button class="primary" data-act="med-authorise">Authorise insurance</button></div>
<div class="code" id="ma-code" aria-label="authorisation code" hidden></div></div>
<h2>医保待支付 · Insured orders to pay</h2><div id="insured"></div>
<h2>待授权 · Credit visits to authorise</h2><div id="visits"></div>
<div class="card"><div class="desc">Alipay visit</div><div class="meta">Paste the visit's clientParams.orderStr (what my.tradePay receives)</div>
<textarea id="orderStr" aria-label="Alipay orderStr"></textarea><div class="actions"><button class="primary" data-act="authorise-alipay">Authorise</button></div></div>
<h2>最近 · Recent orders and refunds</h2><div id="recent"></div>
<h2>HIS 回调 · Callbacks the HIS received</h2><div id="his"></div>
</main><div id="toast" role="status" aria-live="polite"></div>
<script>
const yuan=f=>'¥'+String((f-f%100)/100)+'.'+String(f%100).padStart(2,'0'); // integer fen, no float arithmetic
const esc=s=>String(s??'').replace(/[&<>"']/g,c=>'&#'+c.charCodeAt(0)+';');
const CH={alipay:'Alipay',wechatpay:'WeChat Pay'};const FAMILY=${JSON.stringify(FAMILY_PAYER)};
let timer;function toast(text){const t=document.getElementById('toast');t.textContent=text;t.classList.add('show');clearTimeout(timer);timer=setTimeout(()=>t.classList.remove('show'),3500);}
const post=async(path,body)=>{const r=await fetch(path,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)});let j={};try{j=await r.json();}catch{}return {ok:r.ok,status:r.status,body:j};};
function refundState(o){if(!o.refunds.length)return'';return o.refunds.map(r=>'<span class="badge '+esc(r.status)+'">refund '+yuan(r.amountFen)+' '+esc(r.status)+'</span>').join('');}
function orderStatus(o){return o.refundedFen>=o.amountFen&&o.refundedFen>0?'REFUNDED':o.refundedFen>0?'PARTIALLY REFUNDED':o.status;}
async function load(){
 const [orders,auth,his,insured]=await Promise.all([fetch('/sandbox/orders').then(r=>r.json()),fetch('/sandbox/authorisations').then(r=>r.json()),fetch('/sandbox/his').then(r=>r.json()),fetch('/sandbox/medical-insurance/orders').then(r=>r.json())]);
 const mixed=new Set(insured.map(m=>m.channel+':'+m.outTradeNo));
 document.getElementById('insured').innerHTML=insured.length?insured.map(m=>'<div class="card" data-insured="'+esc(m.outTradeNo)+'"><div class="row"><span class="desc">'+esc(m.mixPayType)+'</span><span class="amount">'+yuan(m.totalFen)+'</span></div><div class="split"><span>统筹 fund<b>'+yuan(m.fundFen)+'</b></span><span>个账 account<b>'+yuan(m.personalAccountFen)+'</b></span><span>自费 self-pay<b>'+yuan(m.selfPayFen)+'</b></span></div><div class="meta"><span class="badge '+m.channel+'">'+CH[m.channel]+'</span>'+esc(m.outTradeNo)+'</div><div class="actions"><button class="primary" data-act="med-pay" data-n="'+esc(m.outTradeNo)+'">Pay with insurance · 输入密码</button></div></div>').join(''):'<p class="empty">No insured order is waiting.</p>';
 document.getElementById('his').innerHTML=his.length?his.slice(0,10).map(h=>'<div class="card"><div class="row"><span class="desc">'+esc(h.eventType||'(no type)')+'</span><span class="badge '+(h.answered===200?'PAID':'REFUNDED')+'">'+h.answered+'</span></div><div class="meta">'+esc(h.name)+' · '+esc(h.eventId)+' · '+esc(h.receivedAt)+(h.signature?' · signed':' · unsigned')+'</div></div>').join(''):'<p class="empty">No callback yet: register &lt;sandbox&gt;/sandbox/his/&lt;name&gt; as a notification endpoint.</p>';
 orders.sort((a,b)=>String(b.createdAt).localeCompare(String(a.createdAt)));
 const pending=orders.filter(o=>(o.status==='PENDING'||o.status==='PAYING')&&!mixed.has(o.channel+':'+o.outTradeNo));
 const kept={};document.querySelectorAll('input[data-payer]').forEach(i=>{kept[i.dataset.payer]=i.value;});
 const qr=o=>o.qrCode?'<img class="qr" alt="QR code to scan" width="180" height="180" src="/sandbox/qr?text='+encodeURIComponent(o.qrCode)+'"><label>Scanned by (wallet user)</label><input data-payer="'+esc(o.outTradeNo)+'" value="'+esc(kept[o.outTradeNo]??FAMILY[o.channel])+'" autocomplete="off">':'';
 document.getElementById('pending').innerHTML=pending.length?pending.map(o=>'<div class="card" data-order="'+esc(o.outTradeNo)+'"><div class="row"><span class="desc">'+esc(o.description)+'</span><span class="amount">'+yuan(o.amountFen)+'</span></div><div class="meta"><span class="badge '+o.channel+'">'+CH[o.channel]+'</span>'+(o.status==='PAYING'?'<span class="badge PROCESSING">waiting for the password</span>':'')+esc(o.outTradeNo)+'</div>'+qr(o)+'<div class="actions"><button data-act="decline" data-c="'+o.channel+'" data-n="'+esc(o.outTradeNo)+'">Decline</button><button class="primary" data-act="pay" data-c="'+o.channel+'" data-n="'+esc(o.outTradeNo)+'">'+(o.qrCode?'Scan &amp; pay ':o.status==='PAYING'?'Enter password · ':'Pay ')+yuan(o.amountFen)+'</button></div></div>').join(''):'<p class="empty">Nothing to pay.</p>';
 const waiting=auth.wechatpay.filter(s=>s.state==='CREATED');
 document.getElementById('visits').innerHTML=waiting.length?waiting.map(s=>'<div class="card" data-visit="'+esc(s.outOrderNo)+'"><div class="row"><span class="desc">'+esc(s.introduction||'Pay-later visit')+'</span><span class="amount">'+yuan(s.riskFen)+'</span></div><div class="meta"><span class="badge wechatpay">WeChat Pay Score</span>credit limit · '+esc(s.outOrderNo)+'</div><div class="actions"><button data-act="decline-visit" data-n="'+esc(s.outOrderNo)+'">Decline</button><button class="primary" data-act="authorise" data-n="'+esc(s.outOrderNo)+'">Authorise</button></div></div>').join(''):'<p class="empty">No WeChat Pay Score visit is waiting.</p>';
 const recent=orders.filter(o=>o.status!=='PENDING').slice(0,20);
 document.getElementById('recent').innerHTML=recent.length?recent.map(o=>'<div class="card"><div class="row"><span class="desc">'+esc(o.description)+'</span><span class="amount">'+yuan(o.amountFen)+'</span></div><div class="meta"><span class="badge '+o.channel+'">'+CH[o.channel]+'</span><span class="badge '+orderStatus(o).split(' ')[0]+'">'+orderStatus(o)+'</span>'+refundState(o)+'</div><div class="meta">'+esc(o.outTradeNo)+'</div></div>').join(''):'<p class="empty">No paid or closed order yet.</p>';
}
document.addEventListener('click',async e=>{const b=e.target.closest('button[data-act]');if(!b)return;b.disabled=true;const {act,c,n}=b.dataset;let r;
 try{
  if(act==='pay'){const p=document.querySelector('input[data-payer="'+CSS.escape(n)+'"]');r=await post('/sandbox/pay',{channel:c,outTradeNo:n,...(p?{payer:p.value.trim()}:{})});toast(r.ok?(r.body.notified?'Paid '+n+': medpay answered '+r.body.responseStatus:'Paid '+n+' (notifications are off)'):'Not paid: '+(r.body.error||r.status));}
  else if(act==='decline'){r=await post('/sandbox/decline',{channel:c,outTradeNo:n});toast(r.ok?'Declined: '+n+' is closed unpaid':'Not declined: '+(r.body.error||r.status));}
  else if(act==='authorise'){r=await post('/sandbox/authorise',{channel:'wechatpay',outOrderNo:n});toast(r.ok?'Authorised: medpay was notified':'Not authorised: '+(r.body.error||r.body.message||r.status));}
  else if(act==='decline-visit'){r=await post('/sandbox/decline',{channel:'wechatpay',outOrderNo:n});toast(r.ok?'Declined: the visit stays unauthorised':'Not declined: '+(r.body.error||r.status));}
  else if(act==='med-authorise'){const v=id=>document.getElementById(id).value.trim();r=await post('/sandbox/medical-insurance/authorise',{channel:v('ma-channel'),payerId:v('ma-payer'),name:v('ma-name'),idNumber:v('ma-id')});const c=document.getElementById('ma-code');if(r.ok){c.hidden=false;c.textContent=r.body.authCode;}toast(r.ok?'Authorised: code '+r.body.authCode:'Not authorised: '+(r.body.error||r.status));}
  else if(act==='med-pay'){r=await post('/sandbox/medical-insurance/pay',{outTradeNo:n});toast(r.ok?(r.body.notified?'Paid with insurance: medpay answered '+r.body.responseStatus:'Paid with insurance (medpay learns it by query)'):'Not paid: '+(r.body.error||r.status));}
  else if(act==='pay-code'){r=await post('/sandbox/payment-codes',{channel:document.getElementById('pc-channel').value,kind:document.getElementById('pc-kind').value});if(r.ok){document.getElementById('pc-shown').hidden=false;document.getElementById('pc-code').textContent=r.body.authCode;document.getElementById('pc-qr').src='/sandbox/qr?text='+encodeURIComponent(r.body.authCode);}toast(r.ok?'Code '+r.body.authCode+' (scan it at the window)':'No code: '+(r.body.error||r.status));}
  else if(act==='authorise-alipay'){const s=document.getElementById('orderStr').value.trim();r=await post('/sandbox/authorise',{channel:'alipay',orderStr:s});toast(r.ok?'Authorised on Alipay: medpay was notified':'Not authorised: '+(r.body.error||r.status));}
 }catch(err){toast('Failed: '+err);}
 b.disabled=false;load();});
load();setInterval(load,3000);
</script></body></html>`;
}
