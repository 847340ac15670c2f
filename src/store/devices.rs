//! Simulated devices in the `Devices` tree, keyed by the canonical number without extension.
//! Only devices someone configured are stored; every other number has
//! [`Device::defaults_for`] its number.

use super::StoreError;
use super::backend::{TreeId, Txn, TxnError};
use super::directory::{decode, encode};
use crate::domain::{Device, PhoneNumber};

/// The key of a number's device: the line, so an office extension shares its main number's.
pub fn device_key(number: &PhoneNumber) -> Vec<u8> {
    number.without_extension().to_string().into_bytes()
}

/// The stored device of `number`, or its defaults.
pub fn device(backend: &dyn super::DynBackend, number: &PhoneNumber) -> Result<Device, StoreError> {
    match backend.get(TreeId::Devices, &device_key(number))? {
        Some(bytes) => decode(&bytes, "device"),
        None => Ok(Device::defaults_for(number)),
    }
}

/// Whether `number` has a stored (configured) device.
pub fn is_configured(
    backend: &dyn super::DynBackend,
    number: &PhoneNumber,
) -> Result<bool, StoreError> {
    Ok(backend.get(TreeId::Devices, &device_key(number))?.is_some())
}

/// The stored device of `number` inside a transaction, or its defaults.
pub fn device_in(txn: &dyn Txn, number: &PhoneNumber) -> Result<Device, TxnError> {
    match txn.get(TreeId::Devices, &device_key(number))? {
        Some(bytes) => decode(&bytes, "device").map_err(TxnError::Refused),
        None => Ok(Device::defaults_for(number)),
    }
}

/// Stores `device` inside the caller's transaction.
pub fn put_device(txn: &dyn Txn, device: &Device) -> Result<(), TxnError> {
    txn.insert(
        TreeId::Devices,
        &device_key(&device.phone_number),
        &encode(device)?,
    )
}

/// Every configured device, in number order.
pub fn all_devices(backend: &dyn super::DynBackend) -> Result<Vec<Device>, StoreError> {
    let mut devices = Vec::new();
    let mut failure = None;
    backend.scan(
        TreeId::Devices,
        &[],
        &mut |_, value| match decode(value, "device") {
            Ok(device) => {
                devices.push(device);
                true
            }
            Err(e) => {
                failure = Some(e);
                false
            }
        },
    )?;
    failure.map_or(Ok(devices), Err)
}
