// The routed conv backward (Sources/CKernels/RoutedGradient.c) against sgemm, per batch of 64, on
// one thread, in CPU time: the measurements behind `Conv2D.routedMinimumPatch`.
//   gcc -O3 -ffp-contract=off -ISources/CKernels/include -ISources/CKernels bench/routed_kernels.c \
//       Sources/CKernels/RoutedGradient.c Sources/CKernels/DirectConv.c Sources/CKernels/DirectConvAVX2.c \
//       -lopenblas -lm -o /tmp/routed_kernels
//   H=16 PATCH=288 F=64 /tmp/routed_kernels   # the colour CNN's second conv (16x16, 3x3x32 windows, 64 filters)
//   H=10 PATCH=150 F=16 /tmp/routed_kernels   # LeNet's second conv
//   H=32 PATCH=27 F=32 /tmp/routed_kernels    # a first conv on RGB
// Random columns and kernel; 2x2 pooling picks one pixel per window and channel at random, and
// one routed gradient in 16 is zero (a relu mask). The sgemm figure is both products, dense.
#include "CKernels.h"
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double cpu(void){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(void){
  openblas_set_num_threads(1);
  // conv2 of the colour CNN at batch 64: 16x16 pixels, patch 288, 64 filters, 2x2 pooling
  long B=64,H=atol(getenv("H")),W=H,P=H*W,patch=atol(getenv("PATCH")),F=atol(getenv("F")),Q=(H/2)*(W/2);
  float *col=malloc(4*B*P*patch),*dz=calloc(B*P*F,4),*kT=malloc(4*F*patch),*dkT=malloc(4*F*patch*8),*dcol=malloc(4*B*P*patch);
  int *argmax=malloc(4*B*Q*F);
  srand(1);
  for(long i=0;i<B*P*patch;i++)col[i]=rand()/(float)RAND_MAX-.5f;
  for(long i=0;i<F*patch;i++)kT[i]=rand()/(float)RAND_MAX-.5f;
  for(long n=0;n<B;n++)for(long q=0;q<Q;q++)for(long c=0;c<F;c++){
    long py=q/(W/2),px=q%(W/2),dy=rand()%2,dx=rand()%2,pix=(2*py+dy)*W+2*px+dx;
    argmax[n*Q*F+q*F+c]=pix*F+c; dz[n*P*F+pix*F+c]=(rand()%16==0)?0:rand()/(float)RAND_MAX-.5f;}
  dl_routed_shape s={P,patch,F,Q*F,argmax};
  long sc=dl_routed_scratch_size(&s); long *scratch=malloc(8*sc);
  double best[3]={1e9,1e9,1e9};
  for(int r=0;r<5;r++){
    double t=cpu(); for(long c=0;c<8;c++) dl_routed_kernel_gradient(&s,col,dz,c*8,8,dkT+c*F*patch,scratch); t=cpu()-t; if(t<best[0])best[0]=t;
    t=cpu(); for(long c=0;c<8;c++) dl_routed_column_gradient(&s,dz,kT,c*8,8,dcol,scratch); t=cpu()-t; if(t<best[1])best[1]=t;
    t=cpu(); cblas_sgemm(CblasRowMajor,CblasTrans,CblasNoTrans,patch,F,B*P,1,col,patch,dz,F,0,dkT,F);
    cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,B*P,patch,F,1,dz,F,kT,patch,0,dcol,patch); t=cpu()-t; if(t<best[2])best[2]=t;
  }
  double mac=(double)B*Q*F*patch;
  printf("routed dK %.2f ms (%.1f GFLOP/s of useful work), routed dCol %.2f ms (%.1f), sgemm dK+dCol %.2f ms (%.1f GFLOP/s)\n",
    best[0]*1e3,2*mac/best[0]/1e9,best[1]*1e3,2*mac/best[1]/1e9,best[2]*1e3,4.0*B*P*F*patch/best[2]/1e9);
}
