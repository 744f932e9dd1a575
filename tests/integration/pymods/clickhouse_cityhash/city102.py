# CityHash v1.0.2 CityHash128 in pure Python (test-only; ClickHouse pins this release for
# compressed-block checksums). Test vector: CityHash128(b"Moscow") = (0x2edf17bfee3edf6d, 0x22aef305c6409d55).
M=(1<<64)-1
k0=0xc3a5c85c97cb3127; k1=0xb492b66fbe98f273; k2=0x9ae16a3b2f90404f; k3=0xc949d7c7509e6557
def f64(s,i): return int.from_bytes(s[i:i+8],'little')
def f32(s,i): return int.from_bytes(s[i:i+4],'little')
def rot(v,n): return v if n==0 else ((v>>n)|(v<<(64-n)))&M
def smix(v): return v^(v>>47)
def h128to64(lo,hi):
    kMul=0x9ddfea08eb382d69
    a=((lo^hi)*kMul)&M; a^=a>>47
    b=((hi^a)*kMul)&M; b^=b>>47; return (b*kMul)&M
def hl16(u,v): return h128to64(u,v)
def hl0to16(s,n):
    if n>8:
        a=f64(s,0); b=f64(s,n-8)
        return hl16(a, rot((b+n)&M, n))^b
    if n>=4:
        a=f32(s,0); return hl16((n+(a<<3))&M, f32(s,n-4))
    if n>0:
        a=s[0]; b=s[n>>1]; c=s[n-1]
        y=(a+(b<<8))&0xffffffff; z=(n+(c<<2))&0xffffffff
        return (smix(((y*k2)^(z*k3))&M)*k2)&M
    return k2
def weak(w,x,y,z,a,b):
    a=(a+w)&M; b=rot((b+a+z)&M,21); c=a; a=(a+x)&M; a=(a+y)&M; b=(b+rot(a,44))&M
    return ((a+z)&M,(b+c)&M)
def weaks(s,i,a,b): return weak(f64(s,i),f64(s,i+8),f64(s,i+16),f64(s,i+24),a,b)
def murmur(s,n,lo,hi):
    a=lo;b=hi;c=0;d=0;l=n-16
    if l<=0:
        a=(smix((a*k1)&M)*k1)&M; c=(b*k1+hl0to16(s,n))&M
        d=smix((a+(f64(s,0) if n>=8 else c))&M)
    else:
        c=hl16((f64(s,n-8)+k1)&M,a); d=hl16((b+n)&M,(c+f64(s,n-16))&M); a=(a+d)&M; i=0
        while True:
            a^=(smix((f64(s,i)*k1)&M)*k1)&M; a=(a*k1)&M; b^=a
            c^=(smix((f64(s,i+8)*k1)&M)*k1)&M; c=(c*k1)&M; d^=c
            i+=16; l-=16
            if l<=0: break
    a=hl16(a,c); b=hl16(d,b)
    return (a^b, hl16(b,a))
def ch128seed(s,n,lo,hi):
    if n<128: return murmur(s,n,lo,hi)
    x=lo;y=hi;z=(n*k1)&M
    v0=(rot(y^k1,49)*k1+f64(s,0))&M; v1=(rot(v0,42)*k1+f64(s,8))&M
    w0=(rot((y+z)&M,35)*k1+x)&M; w1=(rot((x+f64(s,88))&M,53)*k1)&M
    p=0
    while n>=128:
        for _ in range(2):
            x=(rot((x+y+v0+f64(s,p+16))&M,37)*k1)&M
            y=(rot((y+v1+f64(s,p+48))&M,42)*k1)&M
            x^=w1; y^=v0; z=rot(z^w0,33)
            v0,v1=weaks(s,p,(v1*k1)&M,(x+w0)&M)
            w0,w1=weaks(s,p+32,(z+w1)&M,y)
            z,x=x,z; p+=64
        n-=128
    y=(y+rot(w0,37)*k0+z)&M; x=(x+rot((v0+z)&M,49)*k0)&M
    t=0
    while t<n:
        t+=32
        y=(rot((y-x)&M,42)*k0+v1)&M
        w0=(w0+f64(s,p+n-t+16))&M
        x=(rot(x,49)*k0+w0)&M
        w0=(w0+v0)&M
        v0,v1=weaks(s,p+n-t,v0,v1)
    x=hl16(x,v0); y=hl16(y,w0)
    return ((hl16((x+v1)&M,w1)+y)&M, hl16((x+w1)&M,(y+v1)&M))
def CityHash128(s):
    n=len(s)
    if n>=16: return ch128seed(s[16:],n-16,f64(s,0)^k3,f64(s,8))
    if n>=8: return ch128seed(b'',0,f64(s,0)^((n*k0)&M),f64(s,n-8)^k1)
    return ch128seed(s,n,k0,k1)
if __name__=='__main__':
    lo,hi=CityHash128(b'Moscow')
    v=46102140593102845793298614593550999405
    print(hex(lo),hex(hi), (hi<<64|lo)==v, (lo<<64|hi)==v)
