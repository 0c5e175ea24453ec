// The example shop's own logic: a tiny catalogue and a cart kept in localStorage. The spoor calls are the part a
// site owner adds; everything else is what any shop already has.
const catalogue = [
  { product_id: 'tea-01', sku: 'TEA-01', name: 'Sencha green tea', category: 'Tea', brand: 'Leaf & Co', price: 12.5 },
  { product_id: 'tea-02', sku: 'TEA-02', name: 'Assam breakfast tea', category: 'Tea', brand: 'Leaf & Co', price: 9.9 },
  { product_id: 'pot-01', sku: 'POT-01', name: 'Cast-iron teapot', category: 'Teaware', brand: 'Kyusu', price: 48 },
  { product_id: 'cup-01', sku: 'CUP-01', name: 'Stoneware cup', category: 'Teaware', brand: 'Kyusu', price: 14 },
]
const currency = 'EUR'

const cart = {
  read: () => JSON.parse(localStorage.getItem('shop.cart') || '[]'),
  write: (items) => localStorage.setItem('shop.cart', JSON.stringify(items)),
  value: (items) => Math.round(items.reduce((sum, item) => sum + item.price * item.quantity, 0) * 100) / 100,
}

const money = (value) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(value)
const byId = (id) => catalogue.find((product) => product.product_id === id)

function renderList(target) {
  target.innerHTML = catalogue
    .map((p) => `<li><a href="/product.html?id=${p.product_id}">${p.name}</a> <span>${money(p.price)}</span></li>`)
    .join('')
}

function renderProduct(target) {
  const product = byId(new URLSearchParams(location.search).get('id')) || catalogue[0]
  target.querySelector('h1').textContent = product.name
  target.querySelector('.price').textContent = money(product.price)
  spoor('track', 'Product Viewed', { ...product, currency })
  target.querySelector('button').addEventListener('click', () => {
    const items = cart.read()
    const line = items.find((item) => item.product_id === product.product_id)
    if (line) line.quantity += 1
    else items.push({ ...product, quantity: 1 })
    cart.write(items)
    spoor('track', 'Product Added', { ...product, quantity: 1, currency })
    target.querySelector('.added').textContent = 'Added to your cart.'
  })
}

function renderCart(target) {
  const show = () => {
    const items = cart.read()
    // Remove is a no-code marker: data-spoor-cart="remove" records Product Removed, with the whole cart, by itself.
    target.querySelector('ul').innerHTML = items.length
      ? items
          .map(
            (i) => `<li>${i.quantity} × ${i.name} <span>${money(i.price * i.quantity)}</span>
            <button type="button" data-spoor-cart="remove" data-spoor-prop-product-id="${i.product_id}">Remove</button></li>`,
          )
          .join('')
      : '<li>Your cart is empty.</li>'
    target.querySelector('.total').textContent = money(cart.value(items))
  }
  show()
  const items = cart.read()
  spoor('track', 'Cart Viewed', { products: items, value: cart.value(items), currency })
  // The shop keeps its own cart up to date; spoor saw the click already.
  target.querySelector('ul').addEventListener('click', (event) => {
    const remove = event.target.closest('[data-spoor-cart="remove"]')
    if (!remove) return
    cart.write(cart.read().filter((item) => item.product_id !== remove.dataset.spoorPropProductId))
    show()
  })
}

function renderCheckout(target) {
  const items = cart.read()
  spoor('track', 'Checkout Started', { products: items, value: cart.value(items), currency })
  target.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault()
    const orderId = 'order-' + Date.now().toString(36)
    spoor('track', 'Order Completed', {
      order_id: orderId,
      products: items,
      total: cart.value(items),
      revenue: cart.value(items),
      currency,
    })
    cart.write([])
    target.querySelector('.done').textContent = `Thank you! Order ${orderId} is on its way.`
  })
}

const views = { list: renderList, product: renderProduct, cart: renderCart, checkout: renderCheckout }
for (const element of document.querySelectorAll('[data-view]')) views[element.dataset.view](element)
