console.log('main placeholder')
