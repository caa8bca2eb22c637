//! The attribute macros of the Ward contract SDK.
//!
//! `#[ward::contract]` goes on a module. Inside it, functions marked
//! `#[ward::export]` (a method), `#[ward::view]` (a read-only method) and
//! `#[ward::payable]` (a method that accepts call value) become the
//! contract's methods: for each one the macro generates a wasm export of type
//! `() -> ()` that decodes the JSON arguments, calls the function and writes
//! its result (`Result<T, String>`: `Err` reverts with the message), and a
//! JSON ABI entry in the custom section `ward_abi`, which `ward build` reads
//! and strips.
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{parse_macro_input, FnArg, GenericArgument, Item, ItemFn, ItemMod, Pat, PathArguments, ReturnType, Type};

const MARKERS: [&str; 3] = ["export", "view", "payable"];

/// Which marker attribute an attribute is (`#[ward::export]` or `#[export]`).
fn marker(attr: &syn::Attribute) -> Option<&'static str> {
    let segs: Vec<String> = attr.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let last = match segs.as_slice() {
        [one] => one.as_str(),
        [first, one] if first == "ward" => one.as_str(),
        _ => return None,
    };
    MARKERS.iter().copied().find(|m| *m == last)
}

/// The ABI type name of a Rust type, as the C++ SDK names it.
fn abi_type(ty: &Type) -> Result<String, syn::Error> {
    match ty {
        Type::Reference(r) => abi_type(&r.elem),
        Type::Tuple(t) if t.elems.is_empty() => Ok("void".into()),
        Type::Path(p) => {
            let seg = p.path.segments.last().ok_or_else(|| syn::Error::new(ty.span(), "empty type"))?;
            let name = seg.ident.to_string();
            let inner = || -> Result<Option<&Type>, syn::Error> {
                match &seg.arguments {
                    PathArguments::AngleBracketed(a) => Ok(a.args.iter().find_map(|g| match g {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })),
                    _ => Ok(None),
                }
            };
            match name.as_str() {
                "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "bool" => Ok(name),
                "String" | "str" => Ok("string".into()),
                "Address" => Ok("address".into()),
                "ObjectId" => Ok("object_id".into()),
                "Hash" => Ok("hash".into()),
                "Value" => Ok("json".into()),
                "Vec" => {
                    let t = inner()?.ok_or_else(|| syn::Error::new(ty.span(), "Vec needs a type"))?;
                    let e = abi_type(t)?;
                    Ok(if e == "u8" { "bytes".into() } else { format!("{}[]", e) })
                }
                "Option" => {
                    let t = inner()?.ok_or_else(|| syn::Error::new(ty.span(), "Option needs a type"))?;
                    Ok(format!("{}?", abi_type(t)?))
                }
                _ => Ok(name),
            }
        }
        _ => Err(syn::Error::new(ty.span(), "ward: this type cannot be a method parameter or result")),
    }
}

/// `T` when `ty` is `Result<T, String>`.
fn result_ok_type(ty: &Type) -> Option<&Type> {
    if let Type::Path(p) = ty {
        let seg = p.path.segments.last()?;
        if seg.ident != "Result" {
            return None;
        }
        if let PathArguments::AngleBracketed(a) = &seg.arguments {
            return a.args.iter().find_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            });
        }
    }
    None
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The export wrapper and the ABI entry of one method.
fn method(f: &ItemFn, view: bool, payable: bool) -> Result<TokenStream2, syn::Error> {
    let name = f.sig.ident.to_string();
    if !f.sig.generics.params.is_empty() {
        return Err(syn::Error::new(f.sig.generics.span(), "ward: a method cannot be generic"));
    }
    if f.sig.asyncness.is_some() {
        return Err(syn::Error::new(f.sig.span(), "ward: a method cannot be async"));
    }
    let ident = &f.sig.ident;
    let mut decls = Vec::new();
    let mut names = Vec::new();
    let mut params_json = Vec::new();
    for (i, arg) in f.sig.inputs.iter().enumerate() {
        let pt = match arg {
            FnArg::Typed(pt) => pt,
            FnArg::Receiver(r) => return Err(syn::Error::new(r.span(), "ward: a method is a free function (no self)")),
        };
        let pname = match &*pt.pat {
            Pat::Ident(pi) => pi.ident.to_string(),
            other => return Err(syn::Error::new(other.span(), "ward: a parameter must be a plain name")),
        };
        let pname = pname.trim_start_matches('_').to_string();
        let ty = &pt.ty;
        let abi = abi_type(ty)?;
        let var = format_ident!("__ward_arg{}", i);
        decls.push(quote! { let #var: #ty = __ward_input.arg(#i, #pname, #abi); });
        names.push(var);
        params_json.push(format!("{{\"name\": {}, \"type\": {}}}", json_str(&pname), json_str(&abi)));
    }
    let pnames: Vec<String> = params_json.iter().map(|_| String::new()).collect();
    let _ = pnames;
    let param_names: Vec<String> = f
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(pt) => match &*pt.pat {
                Pat::Ident(pi) => Some(pi.ident.to_string().trim_start_matches('_').to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let (returns, finish) = match &f.sig.output {
        ReturnType::Default => ("void".to_string(), quote! { let () = __ward_r; }),
        ReturnType::Type(_, ty) => {
            if let Some(ok) = result_ok_type(ty) {
                let abi = abi_type(ok)?;
                let set = if abi == "void" { quote! {} } else { quote! { ::ward::abi::set_result(&__ward_v); } };
                (
                    abi,
                    quote! {
                        match __ward_r {
                            Ok(__ward_v) => { let _ = &__ward_v; #set }
                            Err(__ward_e) => ::ward::revert(&::std::string::ToString::to_string(&__ward_e)),
                        }
                    },
                )
            } else {
                let abi = abi_type(ty)?;
                (abi, quote! { ::ward::abi::set_result(&__ward_r); })
            }
        }
    };
    let returns_json = if returns == "void" { "null".to_string() } else { json_str(&returns) };
    let entry = format!(
        "{{\"name\": {}, \"params\": [{}], \"returns\": {}, \"readonly\": {}, \"payable\": {}}}\n",
        json_str(&name),
        params_json.join(", "),
        returns_json,
        view,
        payable
    );
    let entry_lit = syn::LitByteStr::new(entry.as_bytes(), Span::call_site());
    let entry_len = entry.len();
    let wrapper = format_ident!("__ward_export_{}", ident);
    let abi_static = format_ident!("__WARD_ABI_{}", ident.to_string().to_uppercase());
    let begin = if view {
        quote! { ::ward::abi::begin_view(#name); }
    } else {
        quote! {}
    };
    let check_value = if payable {
        quote! {}
    } else {
        quote! { ::ward::abi::reject_value(#name); }
    };
    Ok(quote! {
        #[doc(hidden)]
        #[export_name = #name]
        pub extern "C" fn #wrapper() {
            #check_value
            #begin
            let __ward_input = ::ward::abi::Input::read(#name, &[#(#param_names),*]);
            #(#decls)*
            let __ward_r = #ident(#(#names),*);
            #finish
        }
        #[doc(hidden)]
        #[cfg(target_arch = "wasm32")]
        #[link_section = "ward_abi"]
        #[used]
        static #abi_static: [u8; #entry_len] = *#entry_lit;
    })
}

/// Marks a module as a Ward contract; see the crate documentation.
#[proc_macro_attribute]
pub fn contract(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return syn::Error::new(Span::call_site(), "ward: #[ward::contract] takes no arguments")
            .to_compile_error()
            .into();
    }
    let mut module = parse_macro_input!(item as ItemMod);
    let content = match module.content.as_mut() {
        Some((_, items)) => items,
        None => {
            return syn::Error::new(module.span(), "ward: #[ward::contract] needs a module with a body")
                .to_compile_error()
                .into()
        }
    };
    let mut generated = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0;
    for item in content.iter_mut() {
        if let Item::Fn(f) = item {
            let marks: Vec<&'static str> = f.attrs.iter().filter_map(marker).collect();
            if marks.is_empty() {
                continue;
            }
            f.attrs.retain(|a| marker(a).is_none());
            let view = marks.contains(&"view");
            let payable = marks.contains(&"payable");
            if view && payable {
                errors.push(syn::Error::new(f.sig.span(), "ward: a view method cannot be payable"));
                continue;
            }
            count += 1;
            match method(f, view, payable) {
                Ok(ts) => generated.push(ts),
                Err(e) => errors.push(e),
            }
        }
    }
    if count == 0 && errors.is_empty() {
        errors.push(syn::Error::new(
            module.ident.span(),
            "ward: the contract has no methods; mark functions with #[ward::export] or #[ward::view]",
        ));
    }
    for e in errors {
        generated.push(e.to_compile_error());
    }
    module.attrs.push(syn::parse_quote!(#[allow(non_snake_case)]));
    let items: Vec<Item> = generated.into_iter().map(|ts| Item::Verbatim(ts)).collect();
    content.extend(items);
    quote!(#module).into()
}

fn outside(name: &str, item: TokenStream) -> TokenStream {
    let msg = format!("ward: #[ward::{}] marks a function inside a #[ward::contract] module", name);
    let item2: TokenStream2 = item.into();
    let err = syn::Error::new(Span::call_site(), msg).to_compile_error();
    quote!(#err #item2).into()
}

/// Marks a method of a `#[ward::contract]` module.
#[proc_macro_attribute]
pub fn export(_attr: TokenStream, item: TokenStream) -> TokenStream {
    outside("export", item)
}

/// Marks a read-only method of a `#[ward::contract]` module.
#[proc_macro_attribute]
pub fn view(_attr: TokenStream, item: TokenStream) -> TokenStream {
    outside("view", item)
}

/// Marks a method of a `#[ward::contract]` module that accepts call value.
#[proc_macro_attribute]
pub fn payable(_attr: TokenStream, item: TokenStream) -> TokenStream {
    outside("payable", item)
}
