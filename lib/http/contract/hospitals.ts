/** The platform operator's hospital registry: register hospitals and connect their channels. */
export { registerHospital } from './hospitals/register-hospital';
export { listHospitals } from './hospitals/list-hospitals';
export { getHospital } from './hospitals/get-hospital';
export { connectWechatpay } from './hospitals/connect-wechatpay';
export { connectInsurance } from './hospitals/connect-insurance';
export { connectReceipts } from './hospitals/connect-receipts';
export { setHospitalStatus } from './hospitals/set-hospital-status';
export { connectAlipay } from './hospitals/connect-alipay';
